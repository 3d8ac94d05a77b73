/**
 * HTTP: the status and its reason, the headers a responder looks at (all of them when asked: the
 * terminal UI scrolls), and the body's first lines
 * (JSON pretty-printed), saying when the body was cut; a plan is the request as sent.
 */
import { STATUS_CODES } from 'node:http';
import {
  asNumber,
  asString,
  dim,
  head,
  isRecord,
  jsonExcerpt,
  plural,
  shortDigest,
  textLines,
  type Line,
  type ResultDescriber,
} from './describer.js';

/** Headers worth a line: what the body is, where a redirect points, when to retry. */
const INTERESTING = ['content-type', 'location', 'retry-after'];

export const http = {
  summary(r) {
    return `${r.status} (${r.bytes ?? 0} bytes)`;
  },
  result(result, context) {
    const status = asNumber(result.status);
    const bytes = asNumber(result.bytes);
    const facts = [
      bytes === undefined ? '' : plural(bytes, 'byte'),
      asNumber(result.ms) === undefined ? '' : `${result.ms} ms`,
      (asNumber(result.attempts) ?? 1) > 1 ? `${result.attempts} attempts` : '',
    ].filter(Boolean);
    const lines: Line[] = [
      `${status ?? '?'} ${status === undefined ? '' : (STATUS_CODES[status] ?? '')}`.trimEnd() +
        (facts.length ? `  ${facts.join(' · ')}` : ''),
    ];
    const headers = isRecord(result.headers) ? result.headers : {};
    if (context.allHeaders)
      for (const [name, value] of Object.entries(headers))
        for (const one of Array.isArray(value) ? value : [value]) lines.push(dim(`${name}: ${String(one)}`));
    else
      for (const name of INTERESTING) {
        const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
        if (key !== undefined) lines.push(dim(`${name}: ${String(headers[key])}`));
      }
    const body = asString(result.body) ?? '';
    if (result.json !== undefined) lines.push(...jsonExcerpt(result.json, context.lines));
    else if (body !== '') lines.push(...head(textLines(body), context.lines));
    if (result.truncated === true)
      lines.push(
        dim(
          `(${bytes === undefined ? 'body' : plural(bytes, 'byte')}, truncated${shortDigest(result.sha256) ? `; ${shortDigest(result.sha256)}` : ''})`,
        ),
      );
    return lines;
  },
  plan(plan, context) {
    return head(textLines(plan.text ?? plan.summary), context.planLines);
  },
} satisfies ResultDescriber;
