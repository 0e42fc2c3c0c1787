// Shared look: CSS custom properties are the theming API (documented on <model-diff>); light and dark schemes.

import { css } from 'lit';

export const tokens = css`
  :host {
    --md-font: var(--model-diff-font, system-ui, -apple-system, 'Segoe UI', sans-serif);
    --md-mono: var(--model-diff-mono, ui-monospace, 'SF Mono', Menlo, Consolas, monospace);
    --md-bg: var(--model-diff-bg, #ffffff);
    --md-fg: var(--model-diff-fg, #1b1f24);
    --md-muted: var(--model-diff-muted, #59636e);
    --md-border: var(--model-diff-border, #d1d9e0);
    --md-panel: var(--model-diff-panel, #f6f8fa);
    --md-a: var(--model-diff-color-a, #cf222e);
    --md-a-bg: var(--model-diff-color-a-bg, #ffebe9);
    --md-b: var(--model-diff-color-b, #1a7f37);
    --md-b-bg: var(--model-diff-color-b-bg, #dafbe1);
    --md-accent: var(--model-diff-accent, #0969da);
    --md-on-accent: var(--model-diff-on-accent, #ffffff);
    font-family: var(--md-font);
    color: var(--md-fg);
    background: var(--md-bg);
  }
  @media (prefers-color-scheme: dark) {
    :host {
      --md-bg: var(--model-diff-bg, #0d1117);
      --md-fg: var(--model-diff-fg, #e6edf3);
      --md-muted: var(--model-diff-muted, #9198a1);
      --md-border: var(--model-diff-border, #3d444d);
      --md-panel: var(--model-diff-panel, #151b23);
      --md-a: var(--model-diff-color-a, #ff7b72);
      --md-a-bg: var(--model-diff-color-a-bg, #3d1a1a);
      --md-b: var(--model-diff-color-b, #3fb950);
      --md-b-bg: var(--model-diff-color-b-bg, #12301c);
      --md-accent: var(--model-diff-accent, #4493f8);
      /* White on this lighter blue is 3:1; dark text is over 6:1. */
      --md-on-accent: var(--model-diff-on-accent, #0d1117);
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
  button {
    font: inherit;
    padding: 0.35rem 0.9rem;
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
  }
  button:focus-visible,
  a:focus-visible,
  summary:focus-visible {
    outline: 2px solid var(--md-accent);
    outline-offset: 2px;
  }
  .error {
    border: 1px solid var(--md-a);
    background: var(--md-a-bg);
    border-radius: 8px;
    padding: 0.5rem 0.75rem;
    white-space: pre-wrap;
  }
  h2,
  h3 {
    margin: 1.2rem 0 0.5rem;
  }
`;
