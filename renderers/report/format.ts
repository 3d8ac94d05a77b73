/** A report format: one module per format under renderers/report/, found through index.ts. */
import type { RunReport } from './model.js';

export interface ReportFormat {
  name: string;
  /** One line: what it is, for `stepwise render --help` and the README. */
  summary: string;
  /** The file extension a report of this format usually has. */
  extension: string;
  render(report: RunReport): string;
}
