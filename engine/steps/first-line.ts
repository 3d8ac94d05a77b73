/** The first non-blank line of a text, cut to `max` characters: a plan's one-line summary. */
export function firstLine(text: string, max = 72): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
