/** What `run` and `resume` read from their options: key=value pairs, answers and secrets files, who runs. */
import { randomBytes } from 'node:crypto';
import { userInfo } from 'node:os';
import type { RunbookDocument } from '../engine/document/model.js';
import { isSecretInputStep, secretAnswerName } from '../engine/steps/input/secret-answer.js';
import { closest } from '../engine/document/suggest.js';
import type { ReportFormatName } from '../renderers/report/index.js';
import { UsageError } from './command.js';

/** The options `run` and `resume` share (util.parseArgs form). */
export const RUN_OPTIONS = {
  headless: { type: 'boolean' },
  input: { type: 'string', multiple: true },
  target: { type: 'string', multiple: true },
  profile: { type: 'string' },
  secrets: { type: 'string' },
  answers: { type: 'string' },
  yes: { type: 'boolean', short: 'y' },
  'allow-writes': { type: 'boolean' },
  parallel: { type: 'string' },
  operator: { type: 'string' },
  json: { type: 'boolean' },
  store: { type: 'string' },
  'sign-key': { type: 'string' },
  force: { type: 'boolean' },
  verbose: { type: 'boolean' },
  report: { type: 'string', multiple: true },
} as const;

/** A report to write when the run ends, however it ends (`--report FORMAT=FILE`). */
export interface ReportRequest {
  format: ReportFormatName;
  file: string;
}

/**
 * `--report FORMAT=FILE` options, each checked: a known format and a file name. The report
 * formats are loaded only when a report is asked for: a run without one does not pay for them.
 */
export async function reportOptions(list: string[] | undefined): Promise<ReportRequest[]> {
  if (list === undefined || list.length === 0) return [];
  const { isReportFormat, REPORT_FORMAT_NAMES } = await import('../renderers/report/index.js');
  return list.map((item) => {
    const eq = item.indexOf('=');
    const format = eq < 0 ? item : item.slice(0, eq);
    const file = eq < 0 ? '' : item.slice(eq + 1);
    if (!isReportFormat(format)) {
      const hint = closest(format, REPORT_FORMAT_NAMES);
      throw new UsageError(
        `--report takes FORMAT=FILE with FORMAT one of ${REPORT_FORMAT_NAMES.join(', ')}${hint ? `; did you mean ${hint}?` : ''}`,
      );
    }
    if (file === '') throw new UsageError(`--report ${format} needs a file: --report ${format}=FILE`);
    return { format, file };
  });
}

export function parallelOption(value: string | undefined): number {
  const parallel = value === undefined ? 1 : Number(value);
  if (!Number.isInteger(parallel) || parallel < 1 || parallel > 64)
    throw new UsageError('--parallel takes a whole number from 1 to 64');
  return parallel;
}

/** The environment variables the runbook declares (`env:`), as expressions see them. */
export function declaredEnv(declared: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of Object.keys(declared)) if (env[name] !== undefined) out[name] = env[name]!;
  return out;
}

function ordinal(n: number): string {
  return `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;
}

/** Answers given for input steps of type secret: masked like declared secrets. */
export function secretAnswers(document: RunbookDocument, answers: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const step of document.steps) {
    if (isSecretInputStep(step) && answers[step.id] !== undefined)
      out[secretAnswerName(step.id)] = String(answers[step.id]);
  }
  return out;
}

export function pairs(option: string, list: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [index, item] of (list ?? []).entries()) {
    const eq = item.indexOf('=');
    // Not echoed: a mistyped `--input token:VALUE` would put the value in the terminal and CI logs.
    if (eq <= 0)
      throw new UsageError(
        `--${option} takes name=value; the ${ordinal(index + 1)} --${option} (${Array.from(item).length} characters) has ${eq === 0 ? 'no name before' : 'no'} \`=\``,
      );
    // defineProperty: `__proto__=1` must stay a name (and be refused as undeclared), not set the prototype.
    Object.defineProperty(out, item.slice(0, eq), {
      value: item.slice(eq + 1),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}

export function safeUser(): string {
  try {
    return process.env.USER || userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Sortable and readable: 20261123-071502-3fa9c1 */
export function newRunId(): string {
  const iso = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${iso}-${randomBytes(3).toString('hex')}`;
}
