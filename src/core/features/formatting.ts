// Formatting: Markdown structure of a response (lists, headings, code, emphasis, tables) as counts and booleans.

import type { FeatureMeta, ResponseInput } from './types.ts';
import { analyseMarkdown } from './markdown.ts';

export type FormattingFeatures = {
  bulletItems: number;
  bulletLists: number;
  numberedItems: number;
  numberedLists: number;
  headings: number;
  codeBlocks: number;
  inlineCode: number;
  boldSpans: number;
  italicSpans: number;
  tables: number;
  blockquotes: number;
  hasList: boolean;
  hasHeadings: boolean;
  hasCodeBlock: boolean;
  hasEmphasis: boolean;
  hasTable: boolean;
  hasMarkdown: boolean;
};

const count = (description: string): FeatureMeta => ({ kind: 'continuous', category: 'response-pattern', description });
const flag = (description: string): FeatureMeta => ({ kind: 'binary', category: 'response-pattern', description });

export const formattingMeta: { [K in keyof FormattingFeatures]: FeatureMeta } = {
  bulletItems: count('bullet list items (-, *, +, •), nested included'),
  bulletLists: count('bullet lists (a nested list belongs to its parent)'),
  numberedItems: count('numbered list items (1. or 1))'),
  numberedLists: count('numbered lists'),
  headings: count('Markdown headings (# or setext)'),
  codeBlocks: count('fenced code blocks'),
  inlineCode: count('inline code spans'),
  boldSpans: count('bold spans (**x** or __x__)'),
  italicSpans: count('italic spans (*x* or _x_)'),
  tables: count('pipe tables'),
  blockquotes: count('block quotes'),
  hasList: flag('has a bullet or numbered list'),
  hasHeadings: flag('has a heading'),
  hasCodeBlock: flag('has a fenced code block'),
  hasEmphasis: flag('has bold or italic text'),
  hasTable: flag('has a table'),
  hasMarkdown: flag('uses any Markdown construct above'),
};

export function extractFormatting(input: ResponseInput): FormattingFeatures {
  const m = analyseMarkdown(input.text);
  const hasList = m.bulletItems + m.numberedItems > 0;
  const hasEmphasis = m.bold + m.italic > 0;
  return {
    bulletItems: m.bulletItems,
    bulletLists: m.bulletLists,
    numberedItems: m.numberedItems,
    numberedLists: m.numberedLists,
    headings: m.headings,
    codeBlocks: m.codeBlocks,
    inlineCode: m.inlineCode,
    boldSpans: m.bold,
    italicSpans: m.italic,
    tables: m.tables,
    blockquotes: m.blockquotes,
    hasList,
    hasHeadings: m.headings > 0,
    hasCodeBlock: m.codeBlocks > 0,
    hasEmphasis,
    hasTable: m.tables > 0,
    hasMarkdown: hasList || hasEmphasis || m.headings + m.codeBlocks + m.inlineCode + m.tables + m.blockquotes > 0,
  };
}
