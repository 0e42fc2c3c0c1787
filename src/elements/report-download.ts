// Report downloads for <model-diff>: JSON (exactly the model-diff-ready object), standalone HTML, CSV and Markdown.
// The converters load on demand: a page that never exports never downloads them.

import type { DiffReport } from '../core/diff/report-types.ts';

export type ExportFormat = 'json' | 'html' | 'csv' | 'md';

const TYPES: Record<ExportFormat, string> = {
  json: 'application/json',
  html: 'text/html',
  csv: 'text/csv',
  md: 'text/markdown',
};

async function render(report: DiffReport, format: ExportFormat): Promise<string> {
  switch (format) {
    case 'json':
      return JSON.stringify(report, null, 1);
    case 'html':
      return (await import('../core/export/html.ts')).reportToHtml(report);
    case 'csv':
      return (await import('../core/export/csv.ts')).reportToCsv(report);
    case 'md':
      return (await import('../core/export/markdown.ts')).reportToMarkdown(report);
  }
}

/** Saves the report as a file named after its two models. */
export async function downloadReport(report: DiffReport, format: ExportFormat): Promise<void> {
  const text = await render(report, format);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(new Blob([text], { type: TYPES[format] }));
  a.download = `model-diff-${report.models[0].label}-vs-${report.models[1].label}.${format}`.replace(/[^\w.-]+/g, '_');
  a.click();
  URL.revokeObjectURL(a.href);
}
