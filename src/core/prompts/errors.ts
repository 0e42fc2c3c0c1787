// The one error type prompt-set reading throws: every problem found, each naming its line, prompt and field.

import type { PromptSetIssue } from './types.ts';

/** Issues beyond this many are counted, not listed: one broken file should not produce a 10,000-line message. */
export const MAX_LISTED_ISSUES = 50;

export class PromptSetError extends Error {
  readonly issues: PromptSetIssue[];

  constructor(issues: PromptSetIssue[], source?: string) {
    super(formatIssues(issues, source));
    this.name = 'PromptSetError';
    this.issues = issues;
  }
}

/** "line 12, prompt "cap-001", field "check": unknown check type …" */
export function formatIssue(issue: PromptSetIssue): string {
  const where: string[] = [];
  if (issue.line !== undefined) where.push(`line ${issue.line}`);
  if (issue.promptId !== undefined) where.push(`prompt ${JSON.stringify(issue.promptId)}`);
  if (issue.field !== undefined) where.push(`field ${JSON.stringify(issue.field)}`);
  return where.length > 0 ? `${where.join(', ')}: ${issue.message}` : issue.message;
}

function formatIssues(issues: PromptSetIssue[], source?: string): string {
  const what = source === undefined ? 'Prompt set' : `Prompt set ${JSON.stringify(source)}`;
  const first = issues[0];
  if (issues.length === 1 && first !== undefined) return `${what}: ${formatIssue(first)}`;
  const listed = issues.slice(0, MAX_LISTED_ISSUES).map((i) => `  - ${formatIssue(i)}`);
  const more = issues.length > MAX_LISTED_ISSUES ? [`  … and ${issues.length - MAX_LISTED_ISSUES} more`] : [];
  return [`${what} has ${issues.length} problems:`, ...listed, ...more].join('\n');
}
