/**
 * Validates a directive's attributes against its step kind's schema, producing typed values.
 * Every problem is reported at once, each at the attribute it concerns.
 */
import type { Diagnostic } from './diagnostic.js';
import type { RuleId, SeverityOf } from './rule-ids.js';
import type { AttributeSite } from './directive-head.js';
import type { RawAttribute } from './model.js';
import type { SourceMap, Span } from './position.js';
import { didYouMean } from './suggest.js';
import { makeExpression, makeTemplate, shifted, type OffsetMap } from './template-source.js';
import type { AttributeSpec, AttributeValue, StatusRange } from './attribute-types.js';

export interface AttributeContext {
  map: SourceMap;
  diagnostics: Diagnostic[];
  file?: string;
  /** Span of the whole directive, used when an attribute's own place cannot be found. */
  fallback: Span;
}

/** Pair remark's decoded values with the positions found by the head scan. */
export function rawAttributes(
  values: Record<string, string | null | undefined>,
  sites: AttributeSite[],
  ctx: AttributeContext,
): RawAttribute[] {
  const out: RawAttribute[] = [];
  for (const [name, value] of Object.entries(values)) {
    const site = findLast(sites, name);
    out.push({
      name,
      value: value ?? '',
      nameSpan: site ? ctx.map.span(site.nameStart, site.nameEnd) : ctx.fallback,
      valueSpan: site ? ctx.map.span(site.valueStart, site.valueEnd) : ctx.fallback,
    });
  }
  return out;
}

function findLast(sites: AttributeSite[], name: string): AttributeSite | undefined {
  for (let i = sites.length - 1; i >= 0; i--) if (sites[i]!.name === name) return sites[i];
  return undefined;
}

export function validateAttribute(
  attr: RawAttribute,
  spec: AttributeSpec,
  ctx: AttributeContext,
): AttributeValue | undefined {
  const span = attr.valueSpan;
  const raw = attr.value.trim();
  const fail = (message: string, hint?: string): undefined => {
    report(ctx, 'error', 'attribute-invalid', `\`${attr.name}\`: ${message}`, span, hint);
    return undefined;
  };
  switch (spec.type) {
    case 'template':
      return {
        type: 'template',
        template: makeTemplate(attr.value, valueOffsets(attr.value, span, ctx.map), ctx.map, ctx.diagnostics, ctx.file),
      };
    case 'expression':
      if (raw === '') return fail('needs an expression', `write ${attr.name}="..."`);
      return {
        type: 'expression',
        expression: makeExpression(attr.value, valueOffsets(attr.value, span, ctx.map), ctx.map),
      };
    case 'boolean': {
      const value = parseBoolean(raw);
      return value === undefined
        ? fail(`\`${raw}\` is not true or false`, `write ${attr.name} alone for true, or ${attr.name}=false`)
        : { type: 'boolean', value, span };
    }
    case 'duration': {
      const ms = parseDuration(raw);
      return ms === undefined
        ? fail(`\`${raw}\` is not a duration`, 'write e.g. 500ms, 10s, 5m or 1h')
        : { type: 'duration', ms, span };
    }
    case 'integer': {
      if (!/^\d+$/.test(raw) || Number(raw) < spec.min)
        return fail(`\`${raw}\` is not a whole number${spec.min > 0 ? ` of at least ${spec.min}` : ''}`);
      return { type: 'integer', value: Number(raw), span };
    }
    case 'enum': {
      const match = spec.values.find((v) => v.toLowerCase() === raw.toLowerCase());
      if (match !== undefined) return { type: 'enum', value: match, span };
      const hint = didYouMean(raw, spec.values);
      return fail(`\`${raw}\` is not one of ${spec.values.join(', ')}${hint ? `; ${hint}` : ''}`);
    }
    case 'step-ref':
      if (raw === '') return fail('needs a step id');
      return { type: 'step-ref', id: raw, span };
    case 'step-refs':
      return { type: 'step-refs', refs: splitList(attr.value, span.start.offset, ctx.map), span };
    case 'status-list': {
      const statuses = parseStatusList(raw);
      return statuses === undefined
        ? fail(`\`${raw}\` is not a list of HTTP statuses`, 'write e.g. 200,204 or 2xx or 200-299')
        : { type: 'status-list', statuses, span };
    }
    case 'target':
      if (raw === '') return fail('needs a target name');
      return { type: 'target', name: raw, span };
  }
}

const ENTITIES: Record<string, string> = { quot: '"', apos: "'", amp: '&', lt: '<', gt: '>', nbsp: '\u00a0' };

/**
 * Maps offsets in an attribute's value to the source. Values may hold character references
 * (`&quot;`, `&#39;`: the way to write both kinds of quote in one value), which the Markdown
 * parser decodes, so an offset after one is not the same distance from the value's start.
 */
function valueOffsets(value: string, span: Span, map: SourceMap): OffsetMap {
  const start = span.start.offset;
  const raw = map.text.slice(start, span.end.offset);
  if (raw === value || !raw.includes('&')) return shifted(start);
  const at: number[] = [];
  let decoded = '';
  const re = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([A-Za-z]+));/y;
  for (let i = 0; i < raw.length; ) {
    re.lastIndex = i;
    const m = raw[i] === '&' ? re.exec(raw) : null;
    const named = m?.[3] === undefined ? undefined : ENTITIES[m[3]];
    const code = m?.[1] !== undefined ? Number(m[1]) : m?.[2] !== undefined ? parseInt(m[2], 16) : undefined;
    const text = named ?? (code !== undefined && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : undefined);
    if (m && text !== undefined) {
      for (let k = 0; k < text.length; k++) at.push(i);
      decoded += text;
      i += m[0].length;
    } else {
      at.push(i);
      decoded += raw[i];
      i++;
    }
  }
  if (decoded !== value) return shifted(start); // a reference this table does not know: close enough
  return (offset) => start + (offset < at.length ? at[offset]! : raw.length);
}

export function parseBoolean(raw: string): boolean | undefined {
  const v = raw.toLowerCase();
  if (v === '' || v === 'true' || v === 'yes' || v === 'on' || v === '1') return true;
  if (v === 'false' || v === 'no' || v === 'off' || v === '0') return false;
  return undefined;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };

/** `500ms`, `10s`, `1.5m`, `2h`, `1m30s`; a bare number is seconds. */
export function parseDuration(raw: string): number | undefined {
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  const parts = raw.toLowerCase().match(/(\d+(?:\.\d+)?)(ms|sec|min|s|m|h)/g);
  if (!parts || parts.join('') !== raw.toLowerCase()) return undefined;
  let total = 0;
  for (const part of parts) {
    const [, n, unit] = /^(\d+(?:\.\d+)?)(\w+)$/.exec(part)!;
    total += Number(n) * UNIT_MS[unit!]!;
  }
  return Math.round(total);
}

export function parseStatusList(raw: string): StatusRange[] | undefined {
  const out: StatusRange[] = [];
  for (const item of raw.split(/[\s,]+/).filter(Boolean)) {
    let m: RegExpExecArray | null;
    if ((m = /^([1-5])xx$/i.exec(item))) out.push({ from: Number(m[1]) * 100, to: Number(m[1]) * 100 + 99 });
    else if ((m = /^(\d{3})-(\d{3})$/.exec(item)) && Number(m[1]) <= Number(m[2]))
      out.push({ from: Number(m[1]), to: Number(m[2]) });
    else if (/^\d{3}$/.test(item) && Number(item) >= 100 && Number(item) <= 599)
      out.push({ from: Number(item), to: Number(item) });
    else return undefined;
  }
  return out.length > 0 ? out : undefined;
}

function splitList(value: string, start: number, map: SourceMap): { id: string; span: Span }[] {
  const out: { id: string; span: Span }[] = [];
  const re = /[^\s,]+/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(value))) out.push({ id: m[0], span: map.span(start + m.index, start + m.index + m[0].length) });
  return out;
}

/** A diagnostic at `span`: `rule` is a catalogued id, reported only at a severity its entry allows (rule-ids.ts). */
export function report<R extends RuleId>(
  ctx: { diagnostics: Diagnostic[]; file?: string },
  severity: NoInfer<SeverityOf<R>>,
  rule: R,
  message: string,
  span: Span,
  hint?: string,
): void {
  const diagnostic: Diagnostic = { severity, rule, message, span };
  if (hint !== undefined) diagnostic.hint = hint;
  if (ctx.file !== undefined) diagnostic.file = ctx.file;
  ctx.diagnostics.push(diagnostic);
}
