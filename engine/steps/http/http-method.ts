/** An http step's method, as written: what decides whether the request changes something. */
import type { Step } from '../../document/model.js';

/** Methods that only read (RFC 9110 "safe"): no confirm needed, may run in --parallel. */
export const SAFE_HTTP_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The HTTP method of an http step: the `method` attribute, else the body's first word, else GET. */
export function httpMethod(step: Step): string {
  const attr = step.attributes.method;
  if (attr?.type === 'enum') return attr.value;
  const first = step.body?.template.source.trimStart().split(/\s/, 1)[0]?.toUpperCase();
  return first && /^[A-Z]+$/.test(first) ? first : 'GET';
}
