/**
 * An input's value as its declared type, from wherever it comes: `--input name=text`, an answers
 * file, a default, a profile, an include's `with`, the terminal. One function, so `check` (a
 * profile's or an include's literal), `run` (engine/run/prepare.ts) and the input step judge a
 * value alike. Pure: no I/O, nothing of the run.
 *
 * `list` holds several values of one type (`of`: `string`, the default, or `number`): written in
 * YAML as a list (`default: [7000, 7010]`), and on the command line or in a field as text with
 * commas (`--input ports=7000,7010`); each item is judged as an input of its `of` type (its
 * pattern too). So `::::each{items="inputs.ports"}` walks it.
 */
import type { InputDecl } from './frontmatter-model.js';
import { compileLinear, type LinearRegex } from '../redact/linear-regex.js';

export type InputValueDecl = Pick<InputDecl, 'name' | 'type' | 'pattern' | 'options' | 'of'>;

export type InputValue = { ok: true; value: unknown } | { ok: false; why: string };

/** The most items a list input holds: as many as a loop may walk (runbooks/README.md, Loops). */
export const MAX_LIST_ITEMS = 10_000;

export function inputValue(decl: InputValueDecl, raw: unknown): InputValue {
  if (decl.type === 'list') return listValue(decl, raw);
  const text = String(raw);
  let value: unknown = text;
  if (decl.type === 'number') {
    value = typeof raw === 'number' ? raw : Number(text);
    if (typeof raw === 'boolean' || text.trim() === '' || !Number.isFinite(value))
      return { ok: false, why: `\`${text}\` is not a number` };
    const inexact = inexactNumber(raw, text, value as number);
    if (inexact !== undefined) return { ok: false, why: inexact };
  } else if (decl.type === 'boolean') {
    const v = text.toLowerCase();
    if (['true', 'yes', '1', 'on'].includes(v)) value = true;
    else if (['false', 'no', '0', 'off'].includes(v)) value = false;
    else return { ok: false, why: `\`${text}\` is not true or false` };
  } else if (decl.type === 'choice' && decl.options && !decl.options.map(String).includes(text)) {
    return { ok: false, why: `\`${text}\` is not one of ${decl.options.join(', ')}` };
  }
  if (decl.pattern !== undefined) {
    let re: LinearRegex;
    try {
      re = compileLinear(decl.pattern);
    } catch (error) {
      return { ok: false, why: `its pattern ${(error as Error).message}` };
    }
    if (!re.test(text))
      return { ok: false, why: `\`${decl.type === 'secret' ? '***' : text}\` does not match ${decl.pattern}` };
  }
  if (decl.type === 'choice' && typeof raw === 'number') value = raw;
  return { ok: true, value };
}

/** A list: a YAML list as it is, text split at commas (an empty text is no items); each item judged alone. */
function listValue(decl: InputValueDecl, raw: unknown): InputValue {
  const items: unknown[] = Array.isArray(raw)
    ? raw
    : String(raw).trim() === ''
      ? []
      : String(raw)
          .split(',')
          .map((item) => item.trim());
  if (items.length > MAX_LIST_ITEMS)
    return {
      ok: false,
      why: `it has ${items.length.toLocaleString('en-US')} items, more than ${MAX_LIST_ITEMS.toLocaleString('en-US')}`,
    };
  const of = {
    name: decl.name,
    type: decl.of ?? 'string',
    ...(decl.pattern !== undefined ? { pattern: decl.pattern } : {}),
  };
  const values: unknown[] = [];
  for (const [i, item] of items.entries()) {
    if (item !== null && typeof item === 'object') return { ok: false, why: `item ${i + 1} is not a ${of.type}` };
    const one = inputValue(of, item);
    if (!one.ok) return { ok: false, why: `item ${i + 1}: ${one.why}` };
    values.push(one.value);
  }
  return { ok: true, value: values };
}

/**
 * Why a number input's value is not the number it reads as, or undefined. A double holds every
 * integer up to 2^53 and 15 to 17 significant digits: `9007199254740993` would silently become
 * ...992, so it is refused rather than rounded. A value already parsed (an answers file's YAML
 * number) can only be judged by its range: past 2^53 it may have been rounded on the way.
 */
function inexactNumber(raw: unknown, text: string, value: number): string | undefined {
  const hint =
    'numbers are exact up to 9007199254740991 and to 15 significant digits; for a longer value declare the input as a string';
  if (typeof raw === 'number')
    return Number.isInteger(raw) && !Number.isSafeInteger(raw)
      ? `${text} is past the integers a number holds exactly (it may have been rounded from what was written); ${hint}`
      : undefined;
  const written = decimalDigits(text.trim());
  if (written === undefined)
    return Number.isInteger(value) && !Number.isSafeInteger(value)
      ? `\`${text}\` cannot be represented exactly as a number; ${hint}`
      : undefined;
  const held = decimalDigits(String(value));
  if (held === undefined || held.digits !== written.digits || held.exponent !== written.exponent)
    return `\`${text}\` cannot be represented exactly as a number (it would become ${String(value)}); ${hint}`;
  return undefined;
}

/** A decimal number's significant digits and the power of ten of its last one (`1.50e2` → 15, 1), or undefined when it is not written in decimal. */
function decimalDigits(text: string): { digits: string; exponent: number } | undefined {
  const m = /^[+-]?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return undefined;
  const whole = m[1]!;
  const fraction = m[2] ?? '';
  let digits = (whole + fraction).replace(/^0+/, '');
  let exponent = Number(m[3] ?? 0) - fraction.length;
  const trailing = /0*$/.exec(digits)![0].length;
  digits = digits.slice(0, digits.length - trailing);
  exponent += trailing;
  return digits === '' ? { digits: '', exponent: 0 } : { digits, exponent };
}
