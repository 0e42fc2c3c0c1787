// A Markdown summary of a report: header, the verdict and the behaviours (each said once, with where it happens),
// then the significant rows by category, token and word evidence.
// Untrusted strings are escaped so they cannot inject Markdown structure (links, HTML, emphasis).

import { categoryLabel } from '../diff/categories.ts';
import type { DiffReport } from '../diff/report-types.ts';
import { internalsSummary } from './internals-summary.ts';

/** Escapes Markdown and HTML metacharacters so text stays text. */
export function mdText(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>&~]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}

/** Text for an inline code span, where Markdown and HTML are not parsed: no backtick ends it, no line break. */
function codeSpan(s: string): string {
  return s.replace(/`/g, "'").replace(/\s/g, ' ');
}

export function reportToMarkdown(report: DiffReport): string {
  const [a, b] = report.models;
  const k = report.differences.filter((d) => d.significant).length;
  const lines = [
    `# ${mdText(a.label)} ⟷ ${mdText(b.label)}`,
    '',
    `${report.promptSet.n} prompts from ${mdText(report.promptSet.name)} · **${k} significant difference${k === 1 ? '' : 's'}** ` +
      `(Benjamini–Hochberg q < ${report.options.alpha}, effect not negligible; ${report.options.resamples} paired-bootstrap resamples).`,
    '',
  ];
  if (report.verdict) lines.push(`**Verdict:** ${mdText(report.verdict.sentence)}`, '');
  if (report.behaviours.length) {
    const n = report.behaviours.length;
    lines.push(`## ${n} behaviour${n === 1 ? '' : 's'} changed`, '');
    for (const bh of report.behaviours) {
      const tag = `${mdText(categoryLabel(bh.category))}${bh.scope === 'broad' ? ', broad' : ''}`;
      lines.push(`- **${tag}:** ${mdText(bh.sentence)}`);
      if (bh.condition) lines.push(`  - Where: ${mdText(bh.condition.sentence)}`);
      for (const c of bh.consequences.slice(0, 5)) lines.push(`  - ${mdText(c)}`);
    }
    lines.push('');
  } else if (report.verdict) lines.push('No behaviour changed.', '');
  if (report.discovery) lines.push(`_${mdText(report.discovery.sentence)}_`, '');
  if (report.hunks.length) lines.push('## All significant rows', '');
  for (const h of report.hunks) {
    lines.push(`### ${mdText(categoryLabel(h.category))}`, '');
    for (const i of h.differences) {
      const d = report.differences[i]!;
      lines.push(`- ${mdText(d.sentence)}`);
    }
    lines.push('');
  }
  if (report.hunks.length === 0) lines.push('No significant difference.', '');
  const inside = internalsSummary(report);
  if (inside.length) lines.push('## Inside the models', '');
  for (const section of inside)
    lines.push(`### ${mdText(section.heading)}`, '', ...section.lines.map((l) => `- ${mdText(l)}`), '');
  const x = report.crossLikelihood;
  const f = (v: number | null) => (v === null ? '—' : v.toFixed(3));
  lines.push(
    '## Cross-likelihood (bits per byte)',
    '',
    '| responses of | scored by A | scored by B |',
    '| --- | --- | --- |',
    `| A | ${f(x.aUnderA)} | ${f(x.aUnderB)} |`,
    `| B | ${f(x.bUnderA)} | ${f(x.bUnderB)} |`,
    '',
  );
  if (report.tokens.sameTokenizer && report.tokens.boostedInB.length) {
    lines.push(
      '## Tokens B boosts',
      '',
      ...report.tokens.boostedInB.slice(0, 10).map((t) => `- \`${codeSpan(t.token)}\` ×${t.count}`),
      '',
    );
  }
  return lines.join('\n');
}
