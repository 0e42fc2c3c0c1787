// The look of <md-prompt-table>: controls, the positioned window of rows, each row's header and its word diff
// (removed words struck through in A's colour, added ones underlined in B's; side by side on wide screens).

import { css } from 'lit';

export const promptTableStyles = css`
  :host {
    display: block;
  }
  .controls {
    display: flex;
    gap: var(--md-space-2) var(--md-space-4);
    flex-wrap: wrap;
    align-items: end;
    margin-bottom: var(--md-space-2);
    font-size: var(--md-text-sm);
  }
  label {
    display: grid;
    gap: var(--md-space-1);
    min-width: 0;
    max-width: 100%;
  }
  select {
    font: inherit;
    padding: var(--md-space-1);
    border: 1px solid var(--md-border);
    border-radius: 6px;
    background: var(--md-bg);
    color: var(--md-fg);
    max-width: 100%;
    min-width: 0;
  }
  .count {
    font-size: var(--md-text-sm);
    margin: 0 0 var(--md-space-2);
  }
  .list {
    position: relative;
    overflow-anchor: none;
    /* Its height is set: what happens inside (rows drawn, measured, dropped) never lays out the page again. */
    contain: strict;
  }
  ol {
    list-style: none;
    margin: 0;
    padding: 0;
    position: absolute;
    inset: 0 0 auto 0;
  }
  li {
    padding-bottom: var(--md-space-2);
  }
  .row {
    border: 1px solid var(--md-border);
    border-radius: var(--md-radius);
    overflow: hidden;
  }
  li.selected .row {
    outline: 2px solid var(--md-accent);
    outline-offset: -2px;
  }
  .head {
    display: flex;
    flex-wrap: wrap;
    gap: var(--md-space-1) var(--md-space-3);
    align-items: baseline;
    padding: var(--md-space-2) var(--md-space-3);
    background: var(--md-panel);
    border-bottom: 1px solid var(--md-border);
    font-size: var(--md-text-sm);
    overflow-wrap: anywhere;
  }
  .head .prompt {
    flex: 1 1 16rem;
    min-width: 0;
    font-size: var(--md-text-md);
  }
  .head button {
    margin-left: auto;
  }
  .hunk {
    color: var(--md-muted);
    font-family: var(--md-mono);
  }
  .diff {
    padding: var(--md-space-2) var(--md-space-3);
    min-width: 0;
  }
  .text {
    white-space: pre-wrap;
    overflow-wrap: anywhere;
  }
  .same-text {
    color: var(--md-muted);
  }
  .sides {
    display: grid;
    grid-template-columns: 1fr 1fr;
  }
  .sides .diff.a {
    border-right: 1px solid var(--md-border);
  }
  .label {
    font-size: var(--md-text-xs);
    font-weight: 600;
    display: block;
  }
  del,
  ins {
    border-radius: 3px;
    padding: 0 1px;
  }
  del {
    background: var(--md-a-bg);
    text-decoration: line-through;
    text-decoration-color: var(--md-a);
  }
  ins {
    background: var(--md-b-bg);
    text-decoration: underline;
    text-decoration-color: var(--md-b);
    text-underline-offset: 3px;
  }
  .sides del,
  .sides ins {
    text-decoration: none;
    box-shadow: inset 0 -2px var(--md-a);
  }
  .sides ins {
    box-shadow: inset 0 -2px var(--md-b);
  }
  .chips {
    font-size: var(--md-text-xs);
    color: var(--md-muted);
    padding: 0 var(--md-space-3) var(--md-space-2);
  }
  @media (max-width: 40rem) {
    .sides {
      grid-template-columns: 1fr;
    }
    .sides .diff.a {
      border-right: none;
      border-bottom: 1px solid var(--md-border);
    }
  }
`;
