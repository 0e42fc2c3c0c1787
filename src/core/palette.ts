// The colour tokens as data, one scheme each: the page's styles (src/ui/styles.ts) turn them into CSS custom
// properties and the standalone HTML export (export/html.ts) writes them into its style sheet, so both show A and B
// alike; a test checks contrast (WCAG AA) and that A and B stay apart under simulated colour-vision deficiencies.

export interface Palette {
  bg: string;
  fg: string;
  muted: string;
  border: string;
  panel: string;
  /** Model A: removed text, A's marks. Orange, not red: red and green merge for deutan and protan eyes. */
  a: string;
  aBg: string;
  /** Model B: added text, B's marks. Blue, which stays apart from orange for protan, deutan and tritan eyes. */
  b: string;
  bBg: string;
  accent: string;
  onAccent: string;
  /** Provisional findings: a calm amber frame, apart from A's orange by lightness. */
  warn: string;
  warnBg: string;
}

export const LIGHT: Palette = {
  bg: '#ffffff',
  fg: '#1b1f24',
  muted: '#59636e',
  border: '#d1d9e0',
  panel: '#f6f8fa',
  a: '#a34800',
  aBg: '#ffe7cc',
  b: '#0550ae',
  bBg: '#d6ecff',
  accent: '#0969da',
  onAccent: '#ffffff',
  warn: '#7d4e00',
  warnBg: '#fff8c5',
};

export const DARK: Palette = {
  bg: '#0d1117',
  fg: '#e6edf3',
  muted: '#9198a1',
  border: '#3d444d',
  panel: '#151b23',
  a: '#f0883e',
  aBg: '#3a2109',
  b: '#79c0ff',
  bBg: '#0b2548',
  accent: '#4493f8',
  // White on this lighter blue is 3:1; dark text is over 6:1.
  onAccent: '#0d1117',
  warn: '#e3b341',
  warnBg: '#2e2410',
};
