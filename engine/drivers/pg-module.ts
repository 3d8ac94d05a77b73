/**
 * The pg module, loaded without Node's fetch. As it loads, pg asks whether it runs in a
 * Cloudflare Worker (pg/lib/stream.js): where there is no `navigator`, as on Node 20, it builds
 * a `Response` to find out, and that loads Node's bundled undici, 30 to 40 ms of the start of
 * every run that touches PostgreSQL (a target, the team store, a drill's database), though
 * nothing in Stepwise uses fetch. Node 21 and later have a `navigator` (userAgent `Node.js/…`)
 * and pg answers from it; on Node 20 one stands in while pg loads, and is taken away after.
 * Every import of pg's runtime goes through here (types may import 'pg' directly).
 */
import { createRequire } from 'node:module';
import type Pg from 'pg';

const require = createRequire(import.meta.url);

function load(): typeof Pg {
  if ('navigator' in globalThis) return require('pg') as typeof Pg;
  Object.defineProperty(globalThis, 'navigator', {
    value: { userAgent: `Node.js/${process.versions.node}` },
    configurable: true,
    writable: true,
  });
  try {
    return require('pg') as typeof Pg;
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}

export const pg = load();
