/**
 * What a draft's steps need declared in its frontmatter (targets, inputs, secrets, env names),
 * and the placeholders of a plain runbook (`<plan_id>`, `user-id-here`, `{id}`, `YOUR_API_KEY`,
 * `$TOKEN`) turned into the templates that read them.
 */

export interface InputNeed {
  type: 'string' | 'number';
  description: string;
}

/** One step group's declarations; merged over the groups a draft keeps. */
export interface Needs {
  targets: Map<string, string>;
  inputs: Map<string, InputNeed>;
  secrets: Set<string>;
  env: Set<string>;
}

export function emptyNeeds(): Needs {
  return { targets: new Map(), inputs: new Map(), secrets: new Set(), env: new Set() };
}

export function mergeNeeds(into: Needs, from: Needs): void {
  for (const [k, v] of from.targets) if (!into.targets.has(k)) into.targets.set(k, v);
  for (const [k, v] of from.inputs) if (!into.inputs.has(k)) into.inputs.set(k, v);
  for (const s of from.secrets) into.secrets.add(s);
  for (const e of from.env) into.env.add(e);
}

/** A name that says it holds a credential. */
export const SECRETISH =
  /(TOKEN|SECRET|PASSW(OR)?D|PASS$|PWD$|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|_KEY$|^KEY$|CREDENTIAL|AUTH)/i;

/** Variables every shell has, or that a script sets itself: never declared. */
const SHELL_OWN = new Set([
  'HOME',
  'PATH',
  'USER',
  'LOGNAME',
  'PWD',
  'OLDPWD',
  'SHELL',
  'LANG',
  'TERM',
  'TZ',
  'TMPDIR',
  'HOSTNAME',
  'RANDOM',
  'SECONDS',
  'LINENO',
  'IFS',
  'PPID',
  'UID',
  'EUID',
  'BASH_SOURCE',
  'FUNCNAME',
  'REPLY',
  'OPTARG',
  'OPTIND',
]);

export function isShellOwn(name: string): boolean {
  return SHELL_OWN.has(name) || name.startsWith('STEPWISE_');
}

/** An input name from a placeholder's text: `plan_id`, `run_id`, `user_id`. */
export function inputName(text: string): string {
  let name = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (name === '' || !/^[a-z]/.test(name)) name = `value_${name}`.replace(/_+$/, '');
  if (RESERVED.has(name)) name = `${name}_value`;
  return name.slice(0, 40);
}

/** A secret name: upper case, letters, digits and `_`. */
export function secretName(text: string): string {
  let name = text
    .replace(/[^A-Za-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .toUpperCase();
  if (!/^[A-Z]/.test(name)) name = `SECRET_${name}`;
  return name.slice(0, 60);
}

const RESERVED = new Set([
  'inputs',
  'secrets',
  'env',
  'run',
  'steps',
  'this',
  'new',
  'delete',
  'class',
  'function',
  'return',
  'default',
  'in',
  'do',
  'if',
  'for',
  'var',
  'let',
  'const',
  'true',
  'false',
  'null',
  'undefined',
  'typeof',
  'void',
  'with',
  'yield',
  'await',
  'case',
  'switch',
  'try',
  'catch',
  'finally',
  'throw',
  'while',
  'else',
  'export',
  'import',
  'super',
  'enum',
  'instanceof',
  'debugger',
  'continue',
  'break',
]);

export function isReserved(name: string): boolean {
  return RESERVED.has(name);
}

/**
 * Placeholders written into plain text: `<plan_id>`, `{id}`, `user-id-here`, `YOUR_API_KEY` /
 * `your-api-key`. `braces` also takes `{name}` (URLs and bodies; in shell it is brace syntax).
 */
export interface Placeholder {
  start: number;
  end: number;
  /** The input name, or the secret name when `secret`. */
  name: string;
  secret: boolean;
}

export function findPlaceholders(text: string, braces: boolean, previousSegment = false): Placeholder[] {
  // each kind below needs one of these: most text has none (every SQL string is asked)
  if (!/[<{]|here|your/i.test(text)) return [];
  const found: Placeholder[] = [];
  const add = (start: number, end: number, raw: string): void => {
    if (found.some((p) => start < p.end && end > p.start)) return;
    raw = raw.replace(/^your[-_]/i, '');
    const secret = SECRETISH.test(raw.replace(/-/g, '_'));
    let name = secret ? secretName(raw) : inputName(raw);
    if (previousSegment && !secret && /^(id|name|key|uuid)$/.test(name)) {
      const before = /\/([A-Za-z][\w-]*?)s?\/$/.exec(text.slice(0, start));
      if (before) name = inputName(`${before[1]}_${name}`);
    }
    found.push({ start, end, name, secret });
  };
  for (const m of text.matchAll(/<([A-Za-z][\w.-]{0,40})>/g)) add(m.index, m.index + m[0].length, m[1]!);
  if (braces)
    for (const m of text.matchAll(/(?<![{$\\])\{([A-Za-z_][\w-]{0,40})\}(?!\})/g))
      add(m.index, m.index + m[0].length, m[1]!);
  for (const m of text.matchAll(/\b([a-z][a-z0-9]*(?:[-_][a-z0-9]+)*)[-_]here\b/gi))
    add(m.index, m.index + m[0].length, m[1]!);
  for (const m of text.matchAll(/\b(?:YOUR|your)[-_]([A-Za-z][A-Za-z0-9]*(?:[-_][A-Za-z0-9]+)*)\b/g))
    add(m.index, m.index + m[0].length, m[1]!);
  return found.sort((a, b) => a.start - b.start);
}

/** `text` with `{{` written as a literal (`\{{`), so that it is never read as a placeholder. */
export function escapeBraces(text: string): string {
  return text.replaceAll('{{', '\\{{');
}

/** Declares what a placeholder needs and returns the template that reads it. */
export function valueTemplate(p: Placeholder, needs: Needs, line: number): string {
  if (p.secret) {
    needs.secrets.add(p.name);
    return `{{ secrets.${p.name} }}`;
  }
  if (!needs.inputs.has(p.name))
    needs.inputs.set(p.name, {
      type: /^(pid|.*_pid|port|count|limit|minutes|seconds|days)$/.test(p.name) ? 'number' : 'string',
      description: `the placeholder at line ${line} of the plain runbook`,
    });
  return `{{ inputs.${p.name} }}`;
}

/** Text with its placeholders turned into templates and every other `{{` escaped. */
export function templatize(text: string, needs: Needs, line: number, braces: boolean, segment = false): string {
  let out = '';
  let cursor = 0;
  for (const p of findPlaceholders(text, braces, segment)) {
    out += escapeBraces(text.slice(cursor, p.start));
    out += valueTemplate(p, needs, line);
    cursor = p.end;
  }
  return out + escapeBraces(text.slice(cursor));
}
