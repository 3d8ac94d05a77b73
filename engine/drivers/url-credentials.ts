/** The credentials in a URL's userinfo, as a client sends them. */

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
