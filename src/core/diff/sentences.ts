// Plain-language sentences generated from the numbers of a difference; nothing is said that the numbers do not.

import type { Difference } from './report-types.ts';

const sig = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : Math.abs(x) >= 10 ? x.toFixed(1) : x.toPrecision(2));
const signed = (x: number) => (x > 0 ? `+${sig(x)}` : sig(x));
const pct = (x: number) => `${(x * 100).toFixed(0)}%`;
const points = (x: number) => `${x > 0 ? '+' : ''}${(x * 100).toFixed(0)}`;

export function formatQ(q: number): string {
  if (q < 0.001) return 'q < 0.001';
  return `q = ${q < 0.01 ? q.toFixed(3) : q.toFixed(2)}`;
}

export function sentence(d: Omit<Difference, 'sentence'>, names: { a: string; b: string }): string {
  const where = d.promptCategory ? ` on ${d.promptCategory} prompts` : '';
  const interval =
    d.kind === 'binary'
      ? `${points(d.ci[0])} to ${points(d.ci[1])} points`
      : `${signed(d.ci[0])} to ${signed(d.ci[1])}`;
  const stats = `95% CI ${interval}; ${formatQ(d.q)}; n = ${d.n}`;
  if (d.kind === 'binary') {
    const dir = d.effect > 0 ? 'more' : 'less';
    return `${names.b} ${dir} often than ${names.a}${where} — ${d.description}: ${pct(d.meanB)} vs ${pct(d.meanA)} (${points(d.effect)} points; ${stats}).`;
  }
  const dir = d.effect > 0 ? 'higher' : 'lower';
  return `${names.b} ${dir} than ${names.a}${where} — ${d.description}: mean ${sig(d.meanB)} vs ${sig(d.meanA)} (${signed(d.effect)}; ${stats}).`;
}
