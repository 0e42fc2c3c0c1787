// Text helpers shared by the feature extractors: normalisation, code stripping, word and sentence segmentation.

/**
 * A pure string → string function that remembers its last few results: the extractors of one response call
 * normalise(stripCode(text)) on the same text half a dozen times, one after another.
 */
function remembered(f: (text: string) => string, size = 4): (text: string) => string {
  const cache = new Map<string, string>();
  return (text) => {
    const hit = cache.get(text);
    if (hit !== undefined) return hit;
    const out = f(text);
    if (cache.size >= size) cache.delete(cache.keys().next().value!);
    cache.set(text, out);
    return out;
  };
}

/** Lower case, NFKC, typographic quotes and dashes folded to ASCII, whitespace collapsed within lines. */
export const normalise = remembered((text: string): string =>
  text
    .normalize('NFKC')
    .replace(/[\u2018\u2019\u201B\u02BC\u2032]/g, "'")
    .replace(/[\u201C\u201D\u201E\u201F\u00AB\u00BB\u2033]/g, '"')
    .replace(/[\u2010\u2011\u2212]/g, '-')
    .toLowerCase()
    .replace(/[^\S\n]+/g, ' '),
);

/** Removes fenced code blocks (an unterminated fence runs to the end) and inline code spans. */
export const stripCode = remembered((text: string): string => {
  const lines = text.split('\n');
  const kept: string[] = [];
  let fence: string | null = null;
  for (const line of lines) {
    const m = /^ {0,3}(`{3,}|~{3,})/.exec(line);
    if (fence !== null) {
      if (m && m[1]!.startsWith(fence)) fence = null;
      kept.push('');
      continue;
    }
    if (m) {
      fence = m[1]!;
      kept.push('');
      continue;
    }
    kept.push(line.replace(/`[^`\n]+`/g, ' '));
  }
  return kept.join('\n');
});

/** Removes quoted spans (double quotes, guillemets, and single-quoted dialogue) so quoted speech is not the model's own voice. */
export function stripQuoted(text: string): string {
  return text
    .replace(/"[^"\n]{0,300}"/g, ' ')
    .replace(/«[^»\n]{0,300}»/g, ' ')
    .replace(/(?<=^|[\s([:—–-])'(?=\p{L})[^\n]{0,300}?(?<=\S)'(?=[\s,.;:!?)\]—–-]|$)/gmu, ' ');
}

const hasSegmenter = typeof Intl === 'object' && typeof Intl.Segmenter === 'function';
// Immutable after construction; Segmenter objects are stateless between calls.
const wordSegmenter = hasSegmenter ? new Intl.Segmenter('und', { granularity: 'word' }) : null;

/**
 * Words by Unicode rules: Intl.Segmenter (ICU; dictionary-based for Chinese, Japanese, Thai) where the runtime has
 * it, else {@link segmentWordsFallback}. ICU versions can split CJK text slightly differently between runtimes.
 */
export function segmentWords(text: string): string[] {
  if (wordSegmenter === null) return segmentWordsFallback(text);
  const ascii = !NON_ASCII.test(text);
  const out: string[] = [];
  // V8's segmenter slows down superlinearly on long strings, so it gets pieces cut where no word can span.
  for (let start = 0; start < text.length;) {
    const end = chunkEnd(text, start);
    const piece = text.slice(start, end);
    if (ascii) {
      for (const w of piece.match(ASCII_WORD) ?? []) if (w !== '_') out.push(w);
    } else for (const s of wordSegmenter.segment(piece)) if (s.isWordLike) out.push(s.segment);
    start = end;
  }
  return out;
}

const NON_ASCII = /[^\p{ASCII}]/u;
/**
 * UAX #29 word boundaries restricted to ASCII, as ICU applies them (Intl.Segmenter's word-like segments, checked
 * against it on random ASCII text in the tests), about 30× faster: letters, digits and `_` join (WB5, WB8–WB10,
 * WB13a/b); `.` `:` `'` join two letters (WB6/7, colon is MidLetter in ICU's root rules); `.` `,` `;` `'` join two
 * digits (WB11/12). ICU counts a lone `_` as not word-like (two or more are).
 */
const ASCII_WORD = /[A-Za-z0-9_]+(?:(?:(?<=[A-Za-z])[.:'](?=[A-Za-z])|(?<=[0-9])[.,;'](?=[0-9]))[A-Za-z0-9_]+)*/g;

const CHUNK = 1024;

/** The end of a piece starting at `start`: after the last whitespace or CJK stop in its second half, else a hard cut. */
function chunkEnd(text: string, start: number): number {
  if (text.length - start <= CHUNK) return text.length;
  for (let i = start + CHUNK; i > start + CHUNK / 2; i--) if (/[\s。！？，、]/u.test(text[i - 1]!)) return i;
  const cut = start + CHUNK;
  return /[\uD800-\uDBFF]/.test(text[cut - 1]!) ? cut - 1 : cut;
}

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}]/u;

/** Runs of letters, marks and digits (joined by inner apostrophes, or dots and commas between digits: "don't", "3.5", "1,234"); CJK and Thai characters count one word each. */
export function segmentWordsFallback(text: string): string[] {
  const out: string[] = [];
  const re = /[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}\p{M}\p{N}_]+|(?<=\p{N})[.,]\p{N}+)*/gu;
  for (const m of text.matchAll(re)) {
    const w = m[0];
    if (!CJK_CHAR.test(w)) {
      out.push(w);
      continue;
    }
    let run = '';
    for (const ch of w) {
      if (CJK_CHAR.test(ch)) {
        if (run) out.push(run);
        run = '';
        out.push(ch);
      } else run += ch;
    }
    if (run) out.push(run);
  }
  return out;
}

const ABBREVIATION =
  /(?:^|[\s(])(?:e\.g|i\.e|a\.m|p\.m|etc|vs|mr|mrs|ms|dr|prof|st|sr|jr|fig|approx|cf|al|inc|ltd|[a-z])\.$/i;

/**
 * Sentences, split by a fixed rule so results do not depend on the runtime's ICU: a line break always ends one;
 * `.`, `!`, `?`, `…` end one when followed by space (unless after a common abbreviation or an initial); `。！？` always do.
 */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split(/\n/)) {
    const parts = line.split(/(?<=[。！？])|(?<=[.!?…]+["'”’)\]]*)\s+/u);
    let pending = '';
    for (const raw of parts) {
      const part = raw.trim();
      if (!part) continue;
      pending = pending ? `${pending} ${part}` : part;
      if (ABBREVIATION.test(pending)) continue;
      out.push(pending);
      pending = '';
    }
    if (pending) out.push(pending);
  }
  return out.filter((s) => /[\p{L}\p{N}]/u.test(s));
}

/** Escapes a literal for use inside a RegExp. */
export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Counts non-overlapping matches of a regex that has the `g` flag. */
export function countMatches(text: string, re: RegExp): number {
  return text.match(re)?.length ?? 0;
}
