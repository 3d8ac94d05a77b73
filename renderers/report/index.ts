/** The report formats by name (`stepwise render --format`, `run --report FORMAT=FILE`). */
import type { ReportFormat } from './format.js';
import type { ReadOptions } from './model.js';
import { html } from './html.js';
import { json } from './json.js';
import { junit } from './junit.js';
import { md } from './markdown.js';
import { notebook } from './notebook.js';

export const reportFormats = { md, html, junit, json, notebook } as const satisfies Record<string, ReportFormat>;
export type ReportFormatName = keyof typeof reportFormats;
export const REPORT_FORMAT_NAMES = Object.keys(reportFormats) as ReportFormatName[];

export function isReportFormat(name: string): name is ReportFormatName {
  return Object.hasOwn(reportFormats, name);
}

/** The formats as help lines: `  md        an incident report in Markdown ...`. */
export function reportFormatHelp(indent = '  '): string {
  return REPORT_FORMAT_NAMES.map((name) => `${indent}${name.padEnd(10)}${reportFormats[name].summary}`).join('\n');
}

/** How to read a transcript for these formats: whether any needs the steps located in the source. */
export function readOptionsFor(names: readonly ReportFormatName[]): ReadOptions {
  return { locate: names.some((name) => (reportFormats[name] as ReportFormat).locate === true) };
}

export { readTranscript, type RunReport } from './model.js';
