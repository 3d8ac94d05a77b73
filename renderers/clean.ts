/** Text from outside (output, errors, values), made safe to print on a terminal. */

/** Removes terminal control sequences and characters, so hostile output cannot drive the terminal. */
export function clean(text: string, max: number, multiline = false): string {
  const stripped = text
    .replace(/\u001b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\u001b\][^\u0007\u001b]*(\u0007|\u001b\\)/g, '')
    .replace(
      multiline ? /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u001f\u007f-\u009f]/g,
      multiline ? '' : ' ',
    )
    // Bidi overrides and isolates would reorder what follows them on screen (Trojan Source): show them instead.
    .replace(/[\u202a-\u202e\u2066-\u2069]/g, (c) => `<U+${c.charCodeAt(0).toString(16).toUpperCase()}>`);
  return stripped.length > max ? `${stripped.slice(0, max - 1)}…` : stripped;
}
