/**
 * Golden reports: every format rendered by the real binary from fixed transcripts (the 0.1.0
 * goldens in test/golden/, and recorded runs in test/golden/report/transcripts/: a failing drill
 * with XSS payloads, a run interrupted and resumed, a parallel run, a run with soft assertions that
 * did not hold and an expect=fail step), compared with the files in
 * test/golden/report/. After an intended change, refresh them with
 *   STEPWISE_UPDATE_GOLDEN=1 npx vitest run test/report/golden.test.ts
 * and review the diff.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPORT_FORMAT_NAMES, reportFormats } from '../../renderers/report/index.js';
import { ROOT, stepwise } from '../helpers/cli.js';

const GOLDEN = join(ROOT, 'test/golden');
const OUT = join(GOLDEN, 'report');
const UPDATE = process.env.STEPWISE_UPDATE_GOLDEN === '1';

const TRANSCRIPTS = [
  join(GOLDEN, 'demo-passed.jsonl'),
  join(GOLDEN, 'interrupted-signed.jsonl'),
  join(OUT, 'transcripts/failing-xss.jsonl'),
  join(OUT, 'transcripts/interrupted-resumed.jsonl'),
  join(OUT, 'transcripts/parallel.jsonl'),
  join(OUT, 'transcripts/soft-asserts.jsonl'),
];

describe.each(TRANSCRIPTS)('golden reports of %s', (transcript) => {
  const name = basename(transcript, '.jsonl');
  it.each(REPORT_FORMAT_NAMES)('%s', (format) => {
    const r = stepwise(['render', transcript, '--format', format]);
    expect(r.code, r.stderr).toBe(0);
    const file = join(OUT, `${name}.${format === 'notebook' ? 'notebook.md' : reportFormats[format].extension}`);
    if (UPDATE || !existsSync(file)) {
      mkdirSync(OUT, { recursive: true });
      writeFileSync(file, r.stdout);
    }
    expect(r.stdout).toBe(readFileSync(file, 'utf8'));
  });
});
