/** Redaction fails closed: any error becomes a RedactionError, and the caller writes nothing. */

/** Thrown whenever something cannot be redacted; the caller must then write nothing. */
export class RedactionError extends Error {
  override name = 'RedactionError';
}

/** Runs `fn`, turning any error into a RedactionError (keeping the original as `cause`). */
export function failClosed<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof RedactionError) throw e;
    throw new RedactionError(`redaction failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
