/** Credentials in URL-shaped target locations: what to mask, and how to show a URL without them. */
import { urlCredentials } from '../drivers/url-credentials.js';

/** `scheme://user:password@host` → `scheme://user:***@host`; a user name alone is shown as written. */
export function withoutCredentials(url: string): string {
  return url.replace(
    /^([a-z][a-z0-9+.-]*:\/\/)([^@/?#]*)@/i,
    (_m, scheme: string, userinfo: string) =>
      `${scheme}${userinfo.includes(':') ? `${userinfo.split(':')[0]}:***` : userinfo}@`,
  );
}

/**
 * The password in a URL (typed in, or from `${ENV}`), and `user:password`, whose base64 is the
 * Basic Authorization a server may echo; named `target.NAME` and `target.NAME.basic` by the caller.
 */
export function passwordsIn(url: string): Record<string, string> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return {};
  }
  if (!parsed.password) return {};
  const { user, password } = urlCredentials(parsed);
  const out: Record<string, string> = {};
  // A dictionary word (postgres:postgres on a laptop) alone would mask every mention of it.
  if (password !== user && !/^[a-z]{1,12}$/.test(password)) out[''] = password;
  out['.basic'] = `${user}:${password}`;
  return out;
}
