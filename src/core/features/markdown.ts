// A small line-based Markdown scanner: counts of the block and inline constructs that formatting and compliance need.

export interface MarkdownStats {
  /** Bullet items (`-`, `*`, `+`, `•`), nested ones included. */
  bulletItems: number;
  /** Bullet lists; a nested list belongs to its parent. */
  bulletLists: number;
  numberedItems: number;
  numberedLists: number;
  /** ATX (`# Title`) and setext (`Title` over `===`) headings. */
  headings: number;
  /** Fenced code blocks (``` or ~~~); an unterminated fence counts. */
  codeBlocks: number;
  inlineCode: number;
  bold: number;
  italic: number;
  /** Pipe tables: a header row followed by a `---|---` separator row. */
  tables: number;
  blockquotes: number;
  /** Non-empty blocks separated by blank lines or thematic breaks (`***`, `---`, `___`). */
  paragraphs: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;
const RULE = /^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$/;
const BULLET = /^(\s*)[-*+•][ \t]+\S/;
const NUMBERED = /^(\s*)\d{1,3}[.)][ \t]+\S/;
const HEADING = /^ {0,3}#{1,6}[ \t]+\S/;
const SETEXT = /^ {0,3}=+[ \t]*$/;
const DASHES = /^ {0,3}-+[ \t]*$/;
const TABLE_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)+\|?\s*$/;
const BLOCKQUOTE = /^ {0,3}>/;

type ListKind = 'bullet' | 'numbered';

/** Scans Markdown text; constructs inside fenced code are ignored. */
export function analyseMarkdown(text: string): MarkdownStats {
  const s: MarkdownStats = {
    bulletItems: 0,
    bulletLists: 0,
    numberedItems: 0,
    numberedLists: 0,
    headings: 0,
    codeBlocks: 0,
    inlineCode: 0,
    bold: 0,
    italic: 0,
    tables: 0,
    blockquotes: 0,
    paragraphs: countParagraphs(text),
  };
  const lines = text.split(/\r?\n/);
  let fence: string | null = null;
  let list: { kind: ListKind; indent: number } | null = null;
  let prev: 'blank' | 'item' | 'text' | 'other' = 'blank';
  let inQuote = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = FENCE.exec(line);
    if (fence !== null) {
      if (f && f[1]!.startsWith(fence)) fence = null;
      continue;
    }
    if (f) {
      s.codeBlocks++;
      fence = f[1]!;
      prev = 'other';
      continue;
    }
    if (!line.trim()) {
      prev = 'blank';
      inQuote = false;
      continue;
    }
    if (BLOCKQUOTE.test(line)) {
      if (!inQuote) s.blockquotes++;
      inQuote = true;
    } else inQuote = false;
    const setext = prev === 'text' && (SETEXT.test(line) || DASHES.test(line));
    if (RULE.test(line) && !setext) {
      list = null;
      prev = 'other';
      continue;
    }
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      const kind: ListKind = bullet ? 'bullet' : 'numbered';
      const indent = (bullet ?? numbered)![1]!.replace(/\t/g, '    ').length;
      if (kind === 'bullet') s.bulletItems++;
      else s.numberedItems++;
      const nested = list !== null && indent > list.indent;
      if (!nested && (list === null || list.kind !== kind)) {
        if (kind === 'bullet') s.bulletLists++;
        else s.numberedLists++;
        list = { kind, indent };
      }
      scanInline(line.replace(kind === 'bullet' ? /^\s*[-*+•]/ : /^\s*\d{1,3}[.)]/, ''), s);
      prev = 'item';
      continue;
    }
    if (HEADING.test(line) || setext) {
      s.headings++;
      list = null;
      scanInline(line, s);
      prev = 'other';
      continue;
    }
    if (line.includes('|') && TABLE_SEPARATOR.test(lines[i + 1] ?? '')) {
      s.tables++;
      i++;
      while (i + 1 < lines.length && lines[i + 1]!.includes('|') && lines[i + 1]!.trim()) i++;
      list = null;
      prev = 'other';
      continue;
    }
    // Indented lines, and lines right after an item (lazy continuation), stay in the list.
    const indented = /^\s{2,}/.test(line);
    if (list !== null && !(indented || prev === 'item')) list = null;
    scanInline(line, s);
    prev = list !== null ? 'item' : 'text';
  }
  return s;
}

function scanInline(line: string, s: MarkdownStats): void {
  const code = line.match(/`[^`\n]+`/g);
  s.inlineCode += code?.length ?? 0;
  let rest = line.replace(/`[^`\n]+`/g, ' ');
  const bold = rest.match(/(\*\*|__)(?=\S)[^\n]+?(?<=\S)\1/g);
  s.bold += bold?.length ?? 0;
  rest = rest.replace(/(\*\*|__)(?=\S)[^\n]+?(?<=\S)\1/g, ' ');
  const star = rest.match(/(?<![\p{L}\p{N}*])\*(?=[^\s*])[^*\n]*?(?<=[^\s*])\*(?![\p{L}\p{N}*])/gu);
  const under = rest.match(/(?<![\p{L}\p{N}_])_(?=[^\s_])[^_\n]*?(?<=[^\s_])_(?![\p{L}\p{N}_])/gu);
  s.italic += (star?.length ?? 0) + (under?.length ?? 0);
}

function countParagraphs(text: string): number {
  let n = 0;
  let inBlock = false;
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || RULE.test(line)) inBlock = false;
    else if (!inBlock) {
      n++;
      inBlock = true;
    }
  }
  return n;
}
