import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRoutes, startHttpFixture } from '../../engine/fixtures/http-fixture.js';
import { parse } from '../args.js';
import type { Command } from '../command.js';
import { run } from './run.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

export const demo: Command = {
  name: 'demo',
  help: `Usage: stepwise demo [run options]

Creates the demo shop database (SQLite, in .stepwise/demo.db), starts the demo payment API
on a loopback port, and runs runbooks/demo.md headless with --yes. Nothing to install.
Any \`stepwise run\` option may follow (e.g. --verbose to see each step's result, --dry-run,
--json, --input max_age_minutes=60).`,
  async run(argv, io) {
    parse(
      argv.filter((a) => a === '--help' || a === '-h'),
      {},
    );
    const Database = (await import('better-sqlite3')).default;
    const dir = join(io.cwd, '.stepwise');
    mkdirSync(dir, { recursive: true });
    const dbPath = join(dir, 'demo.db');
    const db = new Database(dbPath);
    db.exec(readFileSync(join(ROOT, 'fixtures/demo/shop.sql'), 'utf8'));
    db.close();
    const api = await startHttpFixture(loadRoutes(join(ROOT, 'fixtures/demo/api.json')));
    try {
      const env = { ...io.env, STEPWISE_DEMO_DB: dbPath, STEPWISE_DEMO_API: api.url };
      const args = [
        join(ROOT, 'runbooks/demo.md'),
        '--headless',
        ...(argv.includes('--dry-run') ? [] : ['--yes']),
        ...argv,
      ];
      return await run.run(args, { ...io, env });
    } finally {
      await api.close();
    }
  },
};
