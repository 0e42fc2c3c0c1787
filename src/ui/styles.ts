// Shared look: one type scale, one spacing scale and the colour tokens (palette.ts), light and dark. The
// --model-diff-* custom properties are the theming API (documented on <model-diff>); --md-* are internal.

import { css, unsafeCSS } from 'lit';
import { DARK, LIGHT, type Palette } from '../core/palette.ts';

/** The colour properties of one scheme, each overridable by its public --model-diff-* name. */
const colours = (p: Palette) =>
  unsafeCSS(`
    --md-bg: var(--model-diff-bg, ${p.bg});
    --md-fg: var(--model-diff-fg, ${p.fg});
    --md-muted: var(--model-diff-muted, ${p.muted});
    --md-border: var(--model-diff-border, ${p.border});
    --md-panel: var(--model-diff-panel, ${p.panel});
    --md-a: var(--model-diff-color-a, ${p.a});
    --md-a-bg: var(--model-diff-color-a-bg, ${p.aBg});
    --md-b: var(--model-diff-color-b, ${p.b});
    --md-b-bg: var(--model-diff-color-b-bg, ${p.bBg});
    --md-accent: var(--model-diff-accent, ${p.accent});
    --md-on-accent: var(--model-diff-on-accent, ${p.onAccent});
    --md-warn: ${p.warn};
    --md-warn-bg: ${p.warnBg};
  `);

export const tokens = css`
  :host {
    /* Type scale (major third from 1rem) and spacing scale (4px steps): every size in the views comes from here. */
    --md-text-xs: 0.75rem;
    --md-text-sm: 0.875rem;
    --md-text-md: 1rem;
    --md-text-lg: 1.25rem;
    --md-text-xl: 1.5625rem;
    --md-text-2xl: 1.953rem;
    --md-space-1: 0.25rem;
    --md-space-2: 0.5rem;
    --md-space-3: 0.75rem;
    --md-space-4: 1rem;
    --md-space-5: 1.5rem;
    --md-space-6: 2rem;
    --md-radius: 8px;
    --md-font: var(--model-diff-font, system-ui, -apple-system, 'Segoe UI', sans-serif);
    --md-mono: var(--model-diff-mono, ui-monospace, 'SF Mono', Menlo, Consolas, monospace);
    ${colours(LIGHT)}
    font-family: var(--md-font);
    font-size: var(--md-text-md);
    line-height: 1.5;
    color: var(--md-fg);
    background: var(--md-bg);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      ${colours(DARK)}
    }
  }
  .muted {
    color: var(--md-muted);
  }
  .mono {
    font-family: var(--md-mono);
  }
  .a {
    color: var(--md-a);
  }
  .b {
    color: var(--md-b);
  }
  .card {
    border: 1px solid var(--md-border);
    border-radius: var(--md-radius);
    background: var(--md-bg);
    padding: var(--md-space-3) var(--md-space-4);
  }
  button {
    font: inherit;
    font-size: var(--md-text-sm);
    padding: var(--md-space-1) var(--md-space-3);
    min-height: 2rem;
    border-radius: 6px;
    border: 1px solid var(--md-border);
    background: var(--md-panel);
    color: var(--md-fg);
    cursor: pointer;
  }
  button.primary {
    background: var(--md-accent);
    border-color: var(--md-accent);
    color: var(--md-on-accent);
    font-weight: 600;
  }
  button:disabled {
    cursor: default;
    opacity: 0.6;
  }
  button:focus-visible,
  a:focus-visible,
  summary:focus-visible,
  [tabindex]:focus-visible {
    outline: 2px solid var(--md-accent);
    outline-offset: 2px;
  }
  .error {
    border: 1px solid var(--md-a);
    background: var(--md-a-bg);
    border-radius: var(--md-radius);
    padding: var(--md-space-2) var(--md-space-3);
    white-space: pre-wrap;
  }
  h2 {
    font-size: var(--md-text-lg);
    line-height: 1.3;
    margin: var(--md-space-5) 0 var(--md-space-2);
  }
  h3 {
    font-size: var(--md-text-md);
    line-height: 1.3;
    margin: var(--md-space-5) 0 var(--md-space-2);
  }
`;
