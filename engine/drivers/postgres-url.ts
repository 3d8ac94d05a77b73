/** PostgreSQL URLs in messages: where a server is, never who or with which password. */

/** host:port/database, never the user or password (MySQL's default port is 3306). */
export function safeUrl(url: string, defaultPort = 5432): string {
  try {
    const u = new URL(url);
    return `${u.hostname || 'localhost'}:${u.port || defaultPort}${u.pathname}`;
  } catch {
    return 'the database (unparsable URL)';
  }
}

export function passwordOf(url: string): string {
  try {
    return decodeURIComponent(new URL(url).password);
  } catch {
    return '';
  }
}

/** Removes credentials from a message: user:password@ in any URL, and the password itself. */
export function scrub(message: string, password: string): string {
  let out = message.replace(/(\w+:\/\/)[^/@\s]*@/g, '$1');
  if (password.length >= 3) out = out.split(password).join('***');
  return out;
}
