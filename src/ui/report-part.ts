// Base of the presentational parts that show one report: the report comes in as a property, never an attribute.

import { LitElement } from 'lit';
import type { DiffReport } from '../core/diff/report-types.ts';

export class ReportPart extends LitElement {
  static override properties = { report: { attribute: false } };
  declare report: DiffReport;
}
