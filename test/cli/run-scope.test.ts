/**
 * `stepwise run --from SECTION` / `--only SECTION` as a user types them: usage errors and their
 * exit code (4), the help, --dry-run, and `resume` keeping the scope the run recorded.
 */
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { stepwise } from '../helpers/cli.js';
import { scratch } from '../helpers/scratch.js';

const tmp = scratch('run-scope');
const db = tmp.path('shop.db');

const RUNBOOK = `---
targets:
  db: { kind: sqlite, path: ${db} }
---

# Shop

## Check orders

::sql{#stuck target=db query="SELECT count(*) AS n FROM orders WHERE status = 'PROCESSING'"}

## Fix stuck orders

::confirm[Mark them failed?]{#go}

:::sql{#mark target=db}
\`\`\`sql
UPDATE orders SET status = 'FAILED' WHERE status = 'PROCESSING'
\`\`\`
:::

## Re-check

::sql{#again target=db query="SELECT count(*) AS n FROM orders WHERE status = 'PROCESSING'"}

## Notes

::note[one]{#one}

## Notes

::note[two]{#two}
`;

function seed(): void {
  const sqlite = new Database(db);
  sqlite.exec(
    "DROP TABLE IF EXISTS orders; CREATE TABLE orders (id INTEGER, status TEXT); INSERT INTO orders VALUES (1, 'PROCESSING');",
  );
  sqlite.close();
}

function status(): string {
  const sqlite = new Database(db, { readonly: true });
  const row = sqlite.prepare('SELECT status FROM orders').get() as { status: string };
  sqlite.close();
  return row.status;
}

const file = tmp.write('rb.md', RUNBOOK);
const run = (...args: string[]) => stepwise(['run', file, '--headless', '--store', tmp.path('store.db'), ...args]);

describe('usage errors (exit 4)', () => {
  it('a section that does not exist: did you mean, and the nearby headings', () => {
    const result = run('--from', 'fix-stuk');
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      'stepwise run: --from "fix-stuk": no section has that slug or title; did you mean `fix-stuck-orders`?\n' +
        '  nearby sections: `fix-stuck-orders` ("Fix stuck orders", line 12), `shop` ("Shop", line 6), `re-check` ("Re-check", line 22), `notes` ("Notes", line 26), `notes-1` ("Notes", line 30)\n' +
        'Run `stepwise run --help` for usage.\n',
    );
    expect(result.stdout).toBe('');
  });

  it('a title two headings share: their lines and slugs', () => {
    // `notes` is the first one's slug (GitHub's anchor); the title is ambiguous.
    expect(run('--only', 'notes').code).toBe(0);
    const result = run('--only', 'Notes');
    expect(result.code).toBe(4);
    expect(result.stderr).toContain(
      'stepwise run: --only "Notes": 2 sections have that title: `notes` ("Notes", line 26), `notes-1` ("Notes", line 30)\n  name one by its slug: --only notes-1\n',
    );
  });

  it('--from and --only together, or an empty section', () => {
    const both = run('--from', 'shop', '--only', 're-check');
    expect(both.code).toBe(4);
    expect(both.stderr).toContain('--from and --only cannot be given together');
    const empty = run('--from', ' ');
    expect(empty.code).toBe(4);
    expect(empty.stderr).toContain("--from needs a section: a heading's slug or its text");
  });

  it('an in-scope step that reads a step left out, before anything runs', () => {
    seed();
    const reads = tmp.write(
      'reads.md',
      RUNBOOK.replace('::note[two]{#two}', '::note[{{ stuck.rowCount }} stuck]{#two}'),
    );
    const result = stepwise([
      'run',
      reads,
      '--headless',
      '--yes',
      '--store',
      tmp.path('reads.db'),
      '--from',
      'fix-stuck-orders',
    ]);
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(
      `${reads}:32:1: error: \`two\` reads \`stuck\` (\`stuck.rowCount\`), which --from "Fix stuck orders" leaves out: it stands under "Check orders" (line 8) and would not run\n` +
        '  hint: start at its section (--from check-orders)\n' +
        'stepwise run: --from "fix-stuck-orders" leaves out what steps in scope need (1 problem); nothing was run\n',
    );
    expect(status()).toBe('PROCESSING');
  });

  it('resume takes no --from: it keeps the scope the run recorded', () => {
    const result = stepwise(['resume', 'last', '--from', 'shop', '--store', tmp.path('store.db')]);
    expect(result.code).toBe(4);
    expect(result.stderr).toContain('unknown option --from');
  });
});

it('--help lists --from and --only', () => {
  const help = stepwise(['run', '--help']).stdout;
  expect(help).toMatch(/--from SECTION +start at a section/);
  expect(help).toMatch(/--only SECTION +run just that section/);
});

it('--dry-run --from shows the steps left out as not in scope', () => {
  const result = run('--dry-run', '--from', 're-check');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/- stuck +sql +skipped: not in scope \(--from "Re-check"\)/);
  expect(result.stdout).toMatch(/- mark +sql +skipped: not in scope \(--from "Re-check"\)/);
  expect(result.stdout).toMatch(/- again +sql +would run: SELECT/);
});

it('resume keeps the recorded scope: --only stops at its gate, and the resumed run still leaves out the rest', () => {
  seed();
  const store = tmp.path('resume.db');
  const first = stepwise(['run', file, '--headless', '--store', store, '--only', 'Fix stuck orders']);
  expect(first.code).toBe(3);
  expect(first.stdout).toMatch(/- stuck +sql +skipped: not in scope \(--only "Fix stuck orders"\)/);
  expect(status()).toBe('PROCESSING');
  const resumed = stepwise(['resume', 'last', '--headless', '--yes', '--store', store]);
  expect(resumed.code).toBe(0);
  expect(resumed.stdout).toMatch(/✓ mark +sql/);
  for (const id of ['again', 'one', 'two'])
    expect(resumed.stdout).toMatch(new RegExp(`- ${id} +\\w+ +skipped: not in scope \\(--only "Fix stuck orders"\\)`));
  expect(status()).toBe('FAILED');
  expect(stepwise(['show', 'last', '--store', store]).stdout).toContain('scope: --only fix-stuck-orders\n');
});

it('--parallel: the steps left out are skipped, the rest run', () => {
  seed();
  const result = run('--yes', '--parallel', '4', '--from', 're-check');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(/- stuck +sql +skipped: not in scope/);
  expect(result.stdout).toMatch(/✓ again +sql/);
  expect(status()).toBe('PROCESSING');
});
