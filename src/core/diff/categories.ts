// How the report's categories are named wherever a view or an export groups or tags rows and behaviours.

import type { ReportCategory } from './report-types.ts';

export const CATEGORY_LABELS: Record<ReportCategory, string> = {
  safety: 'Safety',
  capability: 'Capability',
  'response-pattern': 'Response pattern',
  confidence: 'Confidence',
  vocabulary: 'Vocabulary',
  internals: 'Internals',
};

/** The label of a category; an unknown one (a newer report) shows as it is, as text. */
export const categoryLabel = (c: string): string => CATEGORY_LABELS[c as ReportCategory] ?? c;
