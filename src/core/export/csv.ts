// CSV of per-prompt features: one row per prompt and model, every feature a column (RFC 4180 via d3-dsv).

import { csvFormatRows } from 'd3-dsv';
import type { DiffReport } from '../diff/report-types.ts';

export function reportToCsv(report: DiffReport): string {
  const features = [
    ...new Set(report.prompts.flatMap((p) => [...Object.keys(p.a.features), ...Object.keys(p.b.features)])),
  ].sort();
  const header = [
    'prompt_id',
    'category',
    'model',
    'side',
    'token_count',
    'stop',
    'self_bits_per_byte',
    'cross_bits_per_byte',
    ...features,
    'response',
  ];
  const rows = report.prompts.flatMap((p) =>
    (['a', 'b'] as const).map((side) => {
      const s = p[side];
      const cell = (v: unknown) => (v === null || v === undefined ? '' : String(v));
      return [
        p.id,
        p.category,
        report.models[side === 'a' ? 0 : 1].label,
        side.toUpperCase(),
        String(s.tokenCount),
        s.stop,
        cell(s.selfBitsPerByte),
        cell(s.crossBitsPerByte),
        ...features.map((f) => cell(s.features[f])),
        s.text,
      ];
    }),
  );
  return csvFormatRows([header, ...rows]);
}
