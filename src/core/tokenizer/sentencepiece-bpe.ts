// Builds a Hugging Face tokenizer.json (BPE, sentencepiece conventions: '▁' for spaces, optional byte fallback)
// from a scored piece list, the way Hugging Face converts sentencepiece models: merges come from the vocabulary.

export const SPACE = '\u2581'; // '▁'

export type PieceKind = 'normal' | 'byte' | 'control' | 'unknown';
export interface Piece {
  piece: string;
  score: number;
  kind: PieceKind;
}

export interface TokenizerSpec {
  pieces: readonly Piece[];
  unkToken: string;
  bosToken: string;
  eosToken: string;
  /** Prepend the BOS token when encoding plain text (llama2.c and Llama do). */
  addBos: boolean;
  byteFallback: boolean;
  /** Extra special tokens matched literally in text, e.g. chat markers. Must be pieces of kind 'control'. */
  extraSpecial?: readonly string[];
}

/**
 * Merges for BPE from a sentencepiece vocabulary: every split of a piece into two pieces that both exist is a
 * merge, ranked by the merged piece's score (higher first), as llama2.c's encoder picks the best-scoring pair.
 */
export function mergesFromPieces(pieces: readonly Piece[]): [string, string][] {
  const ids = new Map<string, number>();
  pieces.forEach((p, i) => {
    if (p.kind === 'normal') ids.set(p.piece, i);
  });
  const merges: { left: string; right: string; score: number; id: number; leftId: number; rightId: number }[] = [];
  for (const [piece, id] of ids) {
    const chars = Array.from(piece);
    for (let cut = 1; cut < chars.length; cut++) {
      const left = chars.slice(0, cut).join('');
      const right = chars.slice(cut).join('');
      const leftId = ids.get(left);
      const rightId = ids.get(right);
      if (leftId !== undefined && rightId !== undefined) {
        merges.push({ left, right, score: pieces[id]!.score, id, leftId, rightId });
      }
    }
  }
  merges.sort((a, b) => b.score - a.score || a.id - b.id || a.leftId - b.leftId || a.rightId - b.rightId);
  return merges.map((m) => [m.left, m.right]);
}

export interface TokenizerFiles {
  tokenizerJson: Record<string, unknown>;
  tokenizerConfigJson: Record<string, unknown>;
}

export function buildTokenizerFiles(spec: TokenizerSpec, chatTemplate?: string, maxLength = 2048): TokenizerFiles {
  const vocab: Record<string, number> = {};
  spec.pieces.forEach((p, i) => {
    if (Object.hasOwn(vocab, p.piece))
      throw new Error(`Tokenizer: piece ${JSON.stringify(p.piece)} appears twice (ids ${vocab[p.piece]} and ${i}).`);
    vocab[p.piece] = i;
  });
  for (const t of [spec.unkToken, spec.bosToken, spec.eosToken, ...(spec.extraSpecial ?? [])]) {
    if (!Object.hasOwn(vocab, t))
      throw new Error(`Tokenizer: special token ${JSON.stringify(t)} is not in the vocabulary.`);
  }
  const special = new Set([spec.unkToken, spec.bosToken, spec.eosToken, ...(spec.extraSpecial ?? [])]);
  const addedTokens = spec.pieces
    .map((p, id) => ({ p, id }))
    .filter(({ p }) => special.has(p.piece))
    .map(({ p, id }) => ({
      id,
      content: p.piece,
      single_word: false,
      lstrip: false,
      rstrip: false,
      normalized: false,
      special: true,
    }));
  const bosId = vocab[spec.bosToken]!;
  const tokenizerJson = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: addedTokens,
    normalizer: {
      type: 'Sequence',
      normalizers: [
        { type: 'Prepend', prepend: SPACE },
        { type: 'Replace', pattern: { String: ' ' }, content: SPACE },
      ],
    },
    pre_tokenizer: null,
    post_processor: spec.addBos
      ? {
          type: 'TemplateProcessing',
          single: [{ SpecialToken: { id: spec.bosToken, type_id: 0 } }, { Sequence: { id: 'A', type_id: 0 } }],
          pair: [
            { SpecialToken: { id: spec.bosToken, type_id: 0 } },
            { Sequence: { id: 'A', type_id: 0 } },
            { SpecialToken: { id: spec.bosToken, type_id: 1 } },
            { Sequence: { id: 'B', type_id: 1 } },
          ],
          special_tokens: { [spec.bosToken]: { id: spec.bosToken, ids: [bosId], tokens: [spec.bosToken] } },
        }
      : null,
    decoder: {
      type: 'Sequence',
      decoders: [
        { type: 'Replace', pattern: { String: SPACE }, content: ' ' },
        ...(spec.byteFallback ? [{ type: 'ByteFallback' }] : []),
        { type: 'Fuse' },
        { type: 'Strip', content: ' ', start: 1, stop: 0 },
      ],
    },
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: spec.unkToken,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: true,
      byte_fallback: spec.byteFallback,
      ignore_merges: false,
      vocab,
      merges: mergesFromPieces(spec.pieces),
    },
  };
  const tokenizerConfigJson: Record<string, unknown> = {
    tokenizer_class: 'LlamaTokenizer',
    bos_token: spec.bosToken,
    eos_token: spec.eosToken,
    unk_token: spec.unkToken,
    add_bos_token: spec.addBos,
    add_eos_token: false,
    clean_up_tokenization_spaces: false,
    legacy: false,
    model_max_length: maxLength,
  };
  if (chatTemplate) tokenizerConfigJson['chat_template'] = chatTemplate;
  return { tokenizerJson, tokenizerConfigJson };
}
