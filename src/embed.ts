// Entry of embed.html, the iframe form of <model-diff>: its attributes come from the URL (?report=, or ?a=&b=&prompts=
// and optionally &run=1). Without run=1 an embed shows a Run button and downloads nothing until it is pressed.

import './elements/define-report.ts';

const q = new URLSearchParams(location.search);
const el = document.querySelector('model-diff')!;
const attrs: [string, string | null][] = [
  ['report', q.get('report')],
  ['model-a', q.get('a')],
  ['model-b', q.get('b')],
  ['prompts', q.get('prompts')],
  ['max-new-tokens', q.get('max_new_tokens')],
  ['device', q.get('device')],
];
for (const [name, value] of attrs) if (value) el.setAttribute(name, value);
if (q.get('run') === '1') el.setAttribute('run', '');
