/** `http`: a base URL that http steps' paths go under, with headers sent on every request. */
import type { TargetKind } from './kind.js';
import { passwordsIn, withoutCredentials } from './url-credentials.js';

export const http: TargetKind = {
  kind: 'http',
  field: 'base',
  capability: 'http',
  keys: ['headers'],
  claims: (location) => /^https?:/i.test(location),
  locate: (location) => location,
  describe: withoutCredentials,
  credentials: passwordsIn,
};
