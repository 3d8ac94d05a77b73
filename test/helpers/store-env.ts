/**
 * Each test file records its runs in a store of its own (a temp SQLite file), so test files
 * running side by side never share a transcript store or a runbook lock, and nothing is written
 * into the checkout. A test that wants another store passes --store or STEPWISE_STORE itself.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

process.env.STEPWISE_STORE = join(mkdtempSync(join(tmpdir(), 'stepwise-store-')), 'stepwise.db');
