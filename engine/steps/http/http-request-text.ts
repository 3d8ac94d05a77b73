/**
 * An http step's request, built from its template so that no value can change the request's
 * shape. The request line, the header lines and the body are told apart on the template as
 * written (a value cannot add a line, a header or a body), and each placeholder is then filled
 * in for where it stands:
 *
 * - URL (request line, `path`, `url`): percent-encoded (`encodeURIComponent`), in the path and
 *   the query alike, so a value is one path segment or one query parameter. A value that would
 *   make a whole path segment `.` or `..` is refused. Only a placeholder at the very start of a
 *   request line or `url` may give the scheme and host, and only when its value is an absolute
 *   http(s) URL with no query or fragment; any other value there is encoded like the rest.
 * - Header (name or value): as text, but a value holding CR, LF or NUL (or a character a header
 *   cannot carry) fails the step before anything is sent.
 * - Body, by its Content-Type: JSON (a Content-Type saying json, or none and the body starts
 *   with `{` or `[`): inside a string literal a value is JSON-escaped, elsewhere it becomes a
 *   JSON value (`JSON.stringify`: numbers stay numbers, strings get quotes). Form-encoded
 *   (`application/x-www-form-urlencoded`): each value `encodeURIComponent`'d. Anything else:
 *   the value as text.
 *
 * Every placeholder is read with `ctx.value` (strict): a missing value fails the step before
 * anything is sent. Headers that came from the target or from a placeholder, or whose name says
 * credential, are marked sensitive: the driver drops them on a redirect to another origin.
 */
import { targetKind } from '../../targets/registry.js';
import type { Expression, TemplatePart } from '../../document/model.js';
import type { StepContext } from '../../run/context.js';
import { stringify } from '../../expr/stringify.js';
import { scanTemplate } from '../../expr/template.js';
import { JsonContext, jsonStringContent, jsonValue } from '../../drivers/json-context.js';
import { attrTemplate } from '../step-attributes.js';
import { append } from '../../append.js';

export interface BuiltRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** Header names never sent to another origin on a redirect. */
  sensitiveHeaders: string[];
  /** The body holds values from placeholders: it is never re-sent to another origin on a redirect. */
  sensitiveBody: boolean;
}

type Line = TemplatePart[];

/** A header token (RFC 9110): what a header name may be made of. */
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** Header names that carry credentials whatever their value came from. */
const CREDENTIAL_NAME =
  /^(authorization|proxy-authorization|cookie)$|api[-_]?key|token|secret|passw|session|credential|auth/i;

/** The request exactly as it will be sent: the target's base and headers, then the step's own line, headers and body. */
export function buildHttpRequest(ctx: StepContext): BuiltRequest {
  const step = ctx.step;
  const attrMethod = step.attributes.method?.type === 'enum' ? step.attributes.method.value : undefined;
  let method = attrMethod ?? 'GET';
  let where: string;
  let leading: Expression | undefined;
  const headers: Record<string, string> = {};
  const sensitive = new Set<string>();
  let bodyParts: TemplatePart[] | undefined;
  if (step.body) {
    const lines = splitLines(step.body.template.parts);
    let i = 0;
    while (i < lines.length && isBlank(lines[i]!)) i++;
    const line = parseRequestLine(lines[i++] ?? []);
    if (line.method !== undefined) {
      if (attrMethod !== undefined && attrMethod !== line.method) {
        throw new Error(`method=${attrMethod} but the request line says ${line.method}: write the method once`);
      }
      method = line.method;
    }
    ({ text: where, leading } = renderUrl(line.url, ctx, true));
    for (; i < lines.length && !isBlank(lines[i]!); i++) {
      const header = renderHeaderLine(lines[i]!, ctx);
      headers[header.name] = header.value;
      if (header.fromPlaceholder || CREDENTIAL_NAME.test(header.name)) sensitive.add(header.name);
    }
    const rest = lines.slice(i + 1);
    if (rest.some((l) => !isBlank(l))) bodyParts = joinLines(rest);
  } else {
    const url = attrTemplate(step, 'url');
    const path = attrTemplate(step, 'path');
    if (url) ({ text: where, leading } = renderUrl(trimParts(url.parts), ctx, true));
    else where = path ? renderUrl(trimParts(path.parts), ctx, false).text : '';
    bodyParts = attrTemplate(step, 'body')?.parts;
  }
  let url = where;
  if (!/^https?:\/\//i.test(where)) {
    if (!ctx.node.target) {
      if (leading)
        throw new Error(
          `\`{{ ${clip(leading.source)} }}\` gives no absolute http(s) URL (scheme and host; no query or fragment) and the step has no target`,
        );
      throw new Error(`\`${where}\` is not an absolute URL and the step has no target`);
    }
    const target = ctx.target(ctx.node.target);
    if (targetKind(target.kind).capability !== 'http')
      throw new Error(`target \`${target.name}\` is not an http target`);
    url = `${target.location.replace(/\/+$/, '')}/${where.replace(/^\/+/, '')}`;
    for (const [name, text] of Object.entries(target.headers)) {
      if (hasHeader(headers, name)) continue;
      headers[name] = renderTargetHeader(name, text, ctx);
      sensitive.add(name);
    }
  }
  // As fetch will send it (`'` in a query becomes %27, a default port goes), so the plan shows exactly that.
  url = normalizeUrl(url);
  const request: BuiltRequest = { method, url, headers, sensitiveHeaders: [...sensitive], sensitiveBody: false };
  if (bodyParts !== undefined) {
    // fetch cannot send one, and the plan must not show a body that is never sent.
    if (method === 'GET' || method === 'HEAD')
      throw new Error(`a ${method} request carries no body: use POST, PUT or PATCH, or remove the body`);
    request.body = renderBody(bodyParts, ctx, headerValue(headers, 'content-type'));
    request.sensitiveBody = bodyParts.some((p) => p.type === 'expr');
  }
  return request;
}

/** The request as text, as the plan shows it: `METHOD url`, header lines, a blank line, the body. */
export function requestText(request: BuiltRequest): string {
  const lines = [`${request.method} ${request.url}`, ...Object.entries(request.headers).map(([k, v]) => `${k}: ${v}`)];
  if (request.body !== undefined) lines.push('', request.body);
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// The template's lines

/** The template's parts, line by line (a placeholder stays on the line where it starts). */
function splitLines(parts: TemplatePart[]): Line[] {
  const lines: Line[] = [[]];
  for (const part of parts) {
    if (part.type === 'expr') {
      lines[lines.length - 1]!.push(part);
      continue;
    }
    const pieces = part.text.split('\n');
    pieces.forEach((piece, i) => {
      if (i > 0) lines.push([]);
      const text = i < pieces.length - 1 ? piece.replace(/\r$/, '') : piece;
      if (text !== '') lines[lines.length - 1]!.push({ type: 'text', text });
    });
  }
  return lines;
}

function isBlank(line: Line): boolean {
  return line.every((p) => p.type === 'text' && p.text.trim() === '');
}

function joinLines(lines: Line[]): TemplatePart[] {
  const out: TemplatePart[] = [];
  lines.forEach((line, i) => {
    if (i > 0) out.push({ type: 'text', text: '\n' });
    append(out, line);
  });
  return out;
}

/** `METHOD url [HTTP/1.1]`, or just the URL; the method is literal text, never a value. */
function parseRequestLine(line: Line): { method?: string; url: TemplatePart[] } {
  const parts = trimParts(line);
  let method: string | undefined;
  const first = parts[0];
  if (first?.type === 'text') {
    const m = /^([A-Za-z]+)(\s+|$)/.exec(first.text);
    // `GET /x`, `POST {{ url }}`, or a lone upper-case word (`GET`: the target's base URL).
    if (m && (m[2] !== '' || (parts.length === 1 && /^[A-Z]+$/.test(m[1]!)))) {
      method = m[1]!.toUpperCase();
      const rest = first.text.slice(m[0].length);
      if (rest === '') parts.shift();
      else parts[0] = { type: 'text', text: rest };
    }
  }
  const last = parts[parts.length - 1];
  if (last?.type === 'text') {
    const version = /\s+HTTP\/\d(?:\.\d)?$/i.exec(last.text);
    if (version) parts[parts.length - 1] = { type: 'text', text: last.text.slice(0, version.index) };
  }
  const url = trimParts(parts);
  if (url.some((p) => p.type === 'text' && /\s/.test(p.text))) {
    throw new Error(
      'the request line must be `METHOD url` (optionally followed by `HTTP/1.1`); it holds more than that',
    );
  }
  return method === undefined ? { url } : { method, url };
}

/** The parts without leading or trailing white space, and without empty text parts. */
function trimParts(parts: TemplatePart[]): TemplatePart[] {
  const out = parts.filter((p) => p.type === 'expr' || p.text !== '');
  const first = out[0];
  if (first?.type === 'text') out[0] = { type: 'text', text: first.text.trimStart() };
  const last = out[out.length - 1];
  if (last?.type === 'text') out[out.length - 1] = { type: 'text', text: last.text.trimEnd() };
  return out.filter((p) => p.type === 'expr' || p.text !== '');
}

// ---------------------------------------------------------------------------------------------
// URLs

/**
 * A URL or path template with its values percent-encoded. `allowBase`: a placeholder at the very
 * start may give the scheme and host (an absolute http(s) URL without query or fragment).
 */
function renderUrl(
  parts: TemplatePart[],
  ctx: StepContext,
  allowBase: boolean,
): { text: string; leading?: Expression } {
  let out = '';
  let leading: Expression | undefined;
  const values: { start: number; end: number; expression: Expression }[] = [];
  parts.forEach((part, i) => {
    if (part.type === 'text') {
      out += part.text;
      return;
    }
    const value = stringify(ctx.value(part.expression));
    if (i === 0 && allowBase) {
      const base = absoluteBase(value);
      if (base !== undefined) {
        const next = parts[1];
        out += next?.type === 'text' && next.text.startsWith('/') ? base.replace(/\/+$/, '') : base;
        return;
      }
      leading = part.expression;
    }
    const encoded = encodeURIComponent(value);
    values.push({ start: out.length, end: out.length + encoded.length, expression: part.expression });
    out += encoded;
  });
  refuseDotSegments(out, values);
  return leading === undefined ? { text: out } : { text: out, leading };
}

/** The recent URLs normalised (a drill sends the same request hundreds of times): new URL() each time cost more than the rest of the plan. */
const MAX_NORMALIZED = 1024;
const normalized = new Map<string, string>();

function normalizeUrl(url: string): string {
  let href = normalized.get(url);
  if (href === undefined) {
    try {
      href = new URL(url).href;
    } catch {
      href = url; // the driver says what is wrong with it
    }
    if (url.length > 2048) return href;
    if (normalized.size >= MAX_NORMALIZED) normalized.delete(normalized.keys().next().value!);
    normalized.set(url, href);
  }
  return href;
}

/** The value itself when it is an absolute http(s) URL with nothing after its path. */
function absoluteBase(value: string): string | undefined {
  if (!/^https?:\/\/[^/?#\s]/i.test(value) || /[\s\u0000-\u001f\u007f?#\\]/.test(value)) return undefined;
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** A value that makes a whole path segment `.` or `..` would move the request up the path: refused. */
function refuseDotSegments(url: string, values: { start: number; end: number; expression: Expression }[]): void {
  if (values.length === 0) return;
  const stop = url.search(/[?#]/);
  const path = stop === -1 ? url : url.slice(0, stop);
  let start = 0;
  for (const segment of path.split('/')) {
    const end = start + segment.length;
    if (/^(?:\.|%2e){1,2}$/i.test(segment)) {
      const value = values.find((v) => v.start <= end && v.end >= start);
      if (value)
        throw new Error(
          `the value of \`{{ ${clip(value.expression.source)} }}\` makes the URL path segment \`${segment}\`, which would move the request up the path; refused`,
        );
    }
    start = end + 1;
  }
}

// ---------------------------------------------------------------------------------------------
// Headers

function renderHeaderLine(line: Line, ctx: StepContext): { name: string; value: string; fromPlaceholder: boolean } {
  const parts = trimParts(line);
  const at = parts.findIndex((p) => p.type === 'text' && p.text.includes(':'));
  if (at === -1)
    throw new Error(
      `\`${clip(lineSource(parts))}\` is not a header line: write \`Name: value\` (a blank line comes before the body)`,
    );
  const split = parts[at] as { type: 'text'; text: string };
  const colon = split.text.indexOf(':');
  const nameParts: TemplatePart[] = [...parts.slice(0, at), { type: 'text', text: split.text.slice(0, colon) }];
  const valueParts: TemplatePart[] = [{ type: 'text', text: split.text.slice(colon + 1) }, ...parts.slice(at + 1)];
  const name = renderHeaderText(nameParts, ctx, undefined).trim();
  if (!TOKEN.test(name)) throw new Error(`\`${clip(name)}\` is not a valid header name`);
  const value = renderHeaderText(valueParts, ctx, name).trim();
  return { name, value, fromPlaceholder: parts.some((p) => p.type === 'expr') };
}

/** Header text with values, each checked: no CR, LF or NUL, nothing a header cannot carry. */
function renderHeaderText(parts: TemplatePart[], ctx: StepContext, header: string | undefined): string {
  let out = '';
  for (const part of parts) {
    if (part.type === 'text') out += part.text;
    else {
      const value = stringify(ctx.value(part.expression));
      const what =
        header === undefined
          ? `a header name from \`{{ ${clip(part.expression.source)} }}\``
          : `header \`${header}\`: the value of \`{{ ${clip(part.expression.source)} }}\``;
      refuseInHeader(value, what);
      out += value;
    }
  }
  return out;
}

/** A target header value (a frontmatter string that may hold `{{ secrets.X }}`), checked like a step's own. */
function renderTargetHeader(name: string, text: string, ctx: StepContext): string {
  if (!TOKEN.test(name)) throw new Error(`the target's header name \`${clip(name)}\` is not a valid header name`);
  const slots = scanTemplate(text).slots;
  let out = '';
  let cursor = 0;
  const literal = (s: string): string => s.replaceAll('\\{{', '{{');
  for (const slot of slots) {
    out += literal(text.slice(cursor, slot.start));
    const value = stringify(ctx.value({ source: slot.source, span: ctx.step.span }));
    refuseInHeader(value, `the target's header \`${name}\`: the value of \`{{ ${clip(slot.source)} }}\``);
    out += value;
    cursor = slot.end;
  }
  out += literal(text.slice(cursor));
  refuseInHeader(out, `the target's header \`${name}\``);
  return out.trim();
}

function refuseInHeader(value: string, what: string): void {
  if (/[\r\n]/.test(value))
    throw new Error(
      `${what} holds a line break (CR or LF), which would end the header and start another; refused before sending`,
    );
  if (value.includes('\u0000'))
    throw new Error(`${what} holds a NUL character, which a header cannot carry; refused before sending`);
  const wide = /[^\u0000-\u00ff]/.exec(value);
  if (wide)
    throw new Error(
      `${what} holds a character a header cannot carry (U+${wide[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}); encode it first (e.g. encodeURIComponent)`,
    );
}

function hasHeader(headers: Record<string, string>, name: string): boolean {
  return headerValue(headers, name) !== undefined;
}

function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  const key = Object.keys(headers).find((h) => h.toLowerCase() === lower);
  return key === undefined ? undefined : headers[key];
}

// ---------------------------------------------------------------------------------------------
// Bodies

type BodyKind = 'json' | 'form' | 'text';

/** Which rule fills the body's placeholders: its Content-Type, else JSON when it starts with `{` or `[`. */
function bodyKind(parts: TemplatePart[], contentType: string | undefined): BodyKind {
  if (contentType !== undefined) {
    const media = contentType.split(';')[0]!.trim().toLowerCase();
    if (/[/+]json$/.test(media)) return 'json';
    if (media === 'application/x-www-form-urlencoded') return 'form';
    return 'text';
  }
  let literal = '';
  for (const part of parts) {
    if (part.type === 'expr') break;
    literal += part.text;
    if (literal.trim() !== '') break;
  }
  return /^\s*[{[]/.test(literal) ? 'json' : 'text';
}

function renderBody(parts: TemplatePart[], ctx: StepContext, contentType: string | undefined): string {
  const kind = bodyKind(parts, contentType);
  const json = new JsonContext();
  let out = '';
  for (const part of parts) {
    if (part.type === 'text') {
      out += part.text;
      if (kind === 'json') json.feed(part.text);
      continue;
    }
    const value = ctx.value(part.expression);
    if (kind === 'form') out += encodeURIComponent(stringify(value));
    else if (kind === 'text') out += stringify(value);
    else {
      const where = `\`{{ ${clip(part.expression.source)} }}\` in the JSON body`;
      switch (json.position) {
        case 'string':
          out += jsonStringContent(stringify(value));
          break;
        case 'escape':
          throw new Error(
            `${where} stands right after a backslash inside a string; move the backslash out, or put it in the value`,
          );
        case 'bare': {
          const text = jsonValue(value);
          if (text === undefined)
            throw new Error(`${where} has no JSON form (${typeof value === 'number' ? String(value) : typeof value})`);
          out += text;
        }
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

function lineSource(parts: TemplatePart[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : `{{ ${p.expression.source} }}`)).join('');
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
