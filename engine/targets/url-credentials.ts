/**
 * Credentials in URL-shaped target locations: what a client sends, what to mask, and how to show
 * a URL without them. Pure string work: `check` reaches it (through the target kinds), and the
 * HTTP driver uses it to send a URL's userinfo.
 */

/** `user` and `password`, percent-decoded; a part that is not valid percent-encoding is taken as written. */
export function urlCredentials(url: URL): { user: string; password: string } {
  return { user: decodePart(url.username), password: decodePart(url.password) };
}

function decodePart(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

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
