// The page's own look (<model-diff-app>): the first screen (pitch, demo cards, setup) and, after Run, the one-line
// setup summary above the report. Sizes and colours come from the shared tokens (src/ui/styles.ts).

import { css } from 'lit';

export const appStyles = css`
  :host {
    display: block;
    max-width: 72rem;
    margin: 0 auto;
    padding: var(--md-space-4);
    background: transparent;
  }
  h1 {
    font-size: var(--md-text-2xl);
    line-height: 1.2;
    margin: var(--md-space-2) 0 var(--md-space-2);
  }
  .pitch {
    font-size: var(--md-text-lg);
    max-width: 46rem;
    margin: 0 0 var(--md-space-2);
  }
  .hero p {
    margin-top: 0;
  }
  .lead {
    margin: 0 0 var(--md-space-3);
    max-width: 46rem;
  }
  code {
    font-family: var(--md-mono);
    font-size: 0.92em;
    background: var(--md-panel);
    border: 1px solid var(--md-border);
    border-radius: 4px;
    padding: 0 0.25em;
  }
  ul.demos {
    list-style: none;
    margin: 0;
    padding: 0;
    display: grid;
    grid-template-columns: repeat(auto-fill, minmax(min(100%, 15rem), 1fr));
    gap: var(--md-space-3);
  }
  li.demo {
    display: flex;
    flex-direction: column;
    gap: var(--md-space-2);
    background: var(--md-panel);
  }
  li.demo h3 {
    margin: 0;
    font-size: var(--md-text-md);
  }
  li.demo p {
    margin: 0;
    font-size: var(--md-text-sm);
  }
  li.demo .k {
    display: block;
    font-size: var(--md-text-xs);
    font-weight: 600;
    text-transform: uppercase;
    letter-spacing: 0.04em;
    color: var(--md-muted);
  }
  li.demo p.pair {
    margin-top: auto;
    font-size: var(--md-text-xs);
    color: var(--md-muted);
  }
  a.run {
    align-self: start;
    display: inline-block;
    padding: var(--md-space-1) var(--md-space-3);
    border-radius: 6px;
    background: var(--md-accent);
    color: var(--md-on-accent);
    font-weight: 600;
    font-size: var(--md-text-sm);
    text-decoration: none;
    overflow-wrap: anywhere;
  }
  a.run:hover {
    text-decoration: underline;
  }
  section.own {
    margin-top: var(--md-space-6);
  }
  a {
    color: var(--md-accent);
  }
  .brand {
    margin: 0 0 var(--md-space-2);
    font-size: var(--md-text-sm);
  }
  .brand a {
    font-weight: 700;
    color: var(--md-fg);
    text-decoration: none;
  }
  section.summary {
    background: var(--md-panel);
    scroll-margin-top: var(--md-space-2);
  }
  .summary .line {
    display: flex;
    flex-wrap: wrap;
    gap: var(--md-space-1) var(--md-space-2);
    align-items: baseline;
  }
  .summary h2 {
    margin: 0;
    font-size: var(--md-text-md);
    overflow-wrap: anywhere;
  }
  .summary .fact {
    font-size: var(--md-text-sm);
    color: var(--md-muted);
    overflow-wrap: anywhere;
    min-width: 0;
  }
  .summary .actions {
    margin-left: auto;
    display: flex;
    flex-wrap: wrap;
    gap: var(--md-space-2);
    align-items: center;
  }
  #setup {
    margin-top: var(--md-space-3);
  }
  form {
    display: grid;
    grid-template-columns: repeat(auto-fit, minmax(min(100%, 14rem), 1fr));
    gap: var(--md-space-3);
    align-items: end;
    border: 1px solid var(--md-border);
    border-radius: var(--md-radius);
    padding: var(--md-space-3);
    background: var(--md-panel);
  }
  label {
    display: grid;
    gap: var(--md-space-1);
    font-size: var(--md-text-sm);
    min-width: 0;
  }
  md-model-chooser {
    grid-column: 1 / -1;
  }
  label.open {
    margin: var(--md-space-3) 0;
  }
  .share {
    display: flex;
    flex-wrap: wrap;
    gap: var(--md-space-2);
    align-items: center;
    margin: var(--md-space-2) 0;
  }
  .share input {
    flex: 1 1 16rem;
  }
  .summary .share {
    margin: 0;
  }
  input,
  select {
    font: inherit;
    padding: var(--md-space-1) var(--md-space-2);
    border: 1px solid var(--md-border);
    border-radius: 6px;
    background: var(--md-bg);
    color: var(--md-fg);
    min-width: 0;
    max-width: 100%;
  }
  @media (max-width: 40rem) {
    h1 {
      font-size: var(--md-text-xl);
    }
    .pitch {
      font-size: var(--md-text-md);
    }
  }
  footer {
    margin-top: var(--md-space-6);
    padding-top: var(--md-space-3);
    border-top: 1px solid var(--md-border);
    font-size: var(--md-text-sm);
  }
`;
