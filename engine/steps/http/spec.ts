import type { Step } from '../../document/model.js';
import type { StepSpec } from '../../document/step-spec.js';
import { httpMethod, SAFE_HTTP_METHODS } from './http-method.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** `http`: one request. Container body: `METHOD path-or-url`, header lines, blank line, body. */
export const httpSpec = {
  kind: 'http',
  summary: 'sends one HTTP request to an http target (or a full url)',
  result: ['status', 'headers', 'body', 'json', 'jsonError', 'bytes', 'truncated', 'sha256', 'attempts', 'ms'],
  changes: 'sends a request that changes something',
  effect: (step) => !SAFE_HTTP_METHODS.has(httpMethod(step)),
  attributes: {
    target: { type: 'target', doc: 'the http target whose base URL and headers apply' },
    method: { type: 'enum', values: HTTP_METHODS, doc: 'request method (default GET, or the first line of the body)' },
    path: { type: 'template', doc: 'path under the target base URL; placeholders are percent-encoded' },
    url: {
      type: 'template',
      doc: 'an absolute URL, instead of target + path; a placeholder at its very start may give scheme and host, others are percent-encoded',
    },
    expect: { type: 'status-list', doc: 'accepted statuses, e.g. 200,204 or 2xx (default 2xx)' },
    retries: { type: 'integer', min: 0, doc: 'retries with backoff for idempotent methods (default 0)' },
    redirects: { type: 'integer', min: 0, doc: 'redirects to follow (default 5)' },
    'max-bytes': {
      type: 'integer',
      min: 1,
      doc: 'response bytes kept (default 1 MiB); the rest are counted and hashed',
    },
    body: {
      type: 'template',
      doc: 'request body, for the leaf form; placeholders are filled in by content type (JSON: escaped in strings, JSON values elsewhere)',
    },
  },
  label: 'optional',
  content: 'code',
  leafRuns: {
    has: (step) => step.attributes.path !== undefined || step.attributes.url !== undefined,
    what: 'a `path` or `url`',
  },
  codeIs: 'request',
  describe: (step) =>
    step.body ? undefined : `${httpMethod(step)} ${attrSource(step, 'url') ?? attrSource(step, 'path') ?? ''}`.trim(),
  idText: (attr) => `${attr('method') || 'GET'} ${attr('path') || attr('url')}`,
  target: 'http',
  needsNoTarget: usesAbsoluteUrl,
} satisfies StepSpec;

function attrSource(step: Step, name: string): string | undefined {
  const value = step.attributes[name];
  return value?.type === 'template' ? value.template.source : undefined;
}

/** `url=`, or a request line that starts with a scheme or a placeholder: the step names its own URL. */
function usesAbsoluteUrl(step: Step): boolean {
  if (step.attributes.url !== undefined) return true;
  const first = step.body?.template.source.trimStart().split('\n', 1)[0] ?? '';
  return /^\s*(?:[A-Z]+\s+)?(?:https?:\/\/|\{\{)/i.test(first);
}
