/** A report format: one module per format under renderers/report/, found through index.ts. */
import type { RunReport } from './model.js';
import type { ReportText } from './text.js';

export interface ReportFormat {
  name: string;
  /** One line: what it is, for `stepwise render --help` and the README. */
  summary: string;
  /** The file extension a report of this format usually has. */
  extension: string;
  /** Needs each step's place in the runbook source (readTranscript's `locate`, which parses it). */
  locate?: boolean;
  /** The report as pieces of text, written in order (a long report is never one string). */
  build(report: RunReport): ReportText;
  /** The report as one string: build's pieces joined. */
  render(report: RunReport): string;
}
