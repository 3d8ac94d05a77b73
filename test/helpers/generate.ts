/** Large and hostile runbooks, generated: for robustness tests and benchmarks. */

export function manySteps(count: number): string {
  const parts = [
    '---',
    'targets:',
    '  db: { kind: postgres, url: "postgres://postgres@127.0.0.1:5432/test" }',
    '---',
    '',
    '# Many steps',
    '',
  ];
  for (let i = 0; i < count; i++) {
    if (i % 50 === 0) parts.push(`## Section ${i / 50}`, '');
    parts.push(
      `:::sql{#q${i}}`,
      '```sql',
      `SELECT ${i} AS n`,
      '```',
      ':::',
      '',
      `::assert[q${i} ok]{that="q${i}.rows[0].n == ${i}"}`,
      '',
    );
  }
  return parts.join('\n');
}

export function bigProse(bytes: number): string {
  const paragraph =
    'The payment worker restarts every night at 02:00 UTC; if `orders.status` stays PROCESSING, see [the dashboard](http://localhost:3000/d/x) and **page** the owner. Ports like localhost:8080 and image:latest are fine.\n\n| col | val |\n|---|---|\n| a::b | 1 |\n\n- item one\n- item two\n\n```sql\nSELECT 1;\n```\n\n';
  return paragraph.repeat(Math.ceil(bytes / paragraph.length)).slice(0, bytes);
}

export function nestedLists(depth: number): string {
  const lines: string[] = [];
  for (let i = 0; i < depth; i++) lines.push(`${'  '.repeat(i)}- level ${i}`);
  return `${lines.join('\n')}\n`;
}

export function nestedIfs(depth: number): string {
  const lines: string[] = [];
  for (let i = 0; i < depth; i++) lines.push(`${':'.repeat(depth - i + 3)}if{that="${i} < 1000"}`);
  lines.push('::note[deep]');
  for (let i = depth - 1; i >= 0; i--) lines.push(':'.repeat(depth - i + 3));
  return `${lines.join('\n')}\n`;
}

/** A deterministic pseudo-random source (a linear congruential generator): `random(n)` is in 0 .. n-1. */
export function seededRandom(seed: number): (n: number) => number {
  let x = seed;
  return (n) => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return (x >> 16) % n;
  };
}

/** Deterministic pseudo-random bytes decoded as UTF-8 (lossy), without NUL. */
export function junk(length: number, seed = 1): string {
  const random = seededRandom(seed);
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = random(255) + 1;
  return new TextDecoder().decode(bytes);
}
