import type { StepSpec } from './schema.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'OPTIONS', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

/** `http`: one request. Container body: `METHOD path-or-url`, header lines, blank line, body. */
export const http = {
  kind: 'http',
  summary: 'sends one HTTP request to an http target (or a full url)',
  attributes: {
    target: { type: 'target', doc: 'the http target whose base URL and headers apply' },
    method: { type: 'enum', values: HTTP_METHODS, doc: 'request method (default GET, or the first line of the body)' },
    path: { type: 'template', doc: 'path under the target base URL; placeholders are URL-encoded' },
    url: { type: 'template', doc: 'an absolute URL, instead of target + path' },
    expect: { type: 'status-list', doc: 'accepted statuses, e.g. 200,204 or 2xx (default 2xx)' },
    retries: { type: 'integer', min: 0, doc: 'retries with backoff for idempotent methods (default 0)' },
    redirects: { type: 'integer', min: 0, doc: 'redirects to follow (default 5)' },
    'max-bytes': { type: 'integer', min: 1, doc: 'response bytes kept (default 1 MiB); the rest are counted and hashed' },
    body: { type: 'template', doc: 'request body, for the leaf form' },
  },
  label: 'optional',
  content: 'code',
  targets: ['http'],
} as const satisfies StepSpec;
