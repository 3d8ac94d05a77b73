#!/usr/bin/env node
// The installed command. The CLI is bundled into dist/ by `npm ci` / `npm install` (the prepare script).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write(
    'stepwise: dist/cli.js is missing; run `npm install` (or `npm run build`) in the stepwise folder first.\n',
  );
  process.exit(4);
}
await import(entry.href);
