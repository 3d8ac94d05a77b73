// The SQLite worker: a child process that owns one better-sqlite3 database (see sqlite.ts).
// better-sqlite3 is synchronous and a running statement cannot be interrupted from JavaScript,
// so a query past its timeout is stopped by killing this process; the parent starts a new one.
// Plain CommonJS so it can be forked as-is from the TypeScript sources (vitest) and from dist/.
// argv: <path> <readonly 0|1>. Messages: { id, statements: [{ sql, params }], readonly, maxRows }
// → { id, result } | { id, error, code }; id 0 reports a database that cannot be opened.
'use strict';
const crypto = require('node:crypto');
const Database = require('better-sqlite3');

const [path, readonlyFlag] = process.argv.slice(2);
const readonlyDb = readonlyFlag === '1';
let db;
try {
  // A read-only target must exist; a writable one is created when missing.
  db = new Database(path, { readonly: readonlyDb, fileMustExist: readonlyDb });
  if (!readonlyDb && path !== ':memory:' && path !== '') db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
} catch (error) {
  process.send({ id: 0, error: `cannot open SQLite database ${path}: ${error.message}`, code: error.code }, () => process.exit(1));
  return;
}

/** JSON-friendly values: integers exact (a number when safe, else a string), blobs as base64. */
function plain(value) {
  if (typeof value === 'bigint') return value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value.toString();
  if (Buffer.isBuffer(value)) return value.toString('base64');
  return value;
}

function runOne(sql, rawParams, maxRows, started) {
  const stmt = db.prepare(sql);
  const params = rawParams.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
  const command = (/^\s*(\w+)/.exec(sql) || [, ''])[1].toUpperCase();
  const hash = crypto.createHash('sha256');
  if (stmt.reader) {
    stmt.safeIntegers(true); // read every INTEGER exactly; plain() narrows it
    const rows = [];
    let count = 0;
    for (const row of stmt.iterate(...params)) {
      const out = {};
      for (const key in row) out[key] = plain(row[key]);
      hash.update(`${JSON.stringify(out)}\n`);
      if (rows.length < maxRows) rows.push(out);
      count++;
    }
    const fields = stmt.columns().map((c) => ({ name: c.name, ...(c.type ? { type: c.type } : {}) }));
    return { rows, rowCount: count, fields, command, truncated: count > rows.length, sha256: hash.digest('hex'), ms: Math.round(performance.now() - started) };
  }
  const info = stmt.run(...params);
  return { rows: [], rowCount: info.changes, fields: [], command, truncated: false, sha256: hash.digest('hex'), ms: Math.round(performance.now() - started) };
}

process.on('message', (message) => {
  const started = performance.now();
  try {
    // SQLite has no read-only transaction: query_only makes this connection refuse writes.
    if (message.readonly) db.pragma('query_only = ON');
    try {
      const all = () => {
        let result;
        for (const s of message.statements) result = runOne(s.sql, s.params, message.maxRows, started);
        return result;
      };
      // Several statements are one transaction: all or nothing.
      const result = message.statements.length > 1 ? db.transaction(all)() : all();
      process.send({ id: message.id, result });
    } finally {
      if (message.readonly) db.pragma('query_only = OFF');
    }
  } catch (error) {
    process.send({ id: message.id, error: error.message, code: error.code });
  }
});

// The parent closed the channel (close()): finish cleanly so the WAL is checkpointed.
process.on('disconnect', () => {
  try {
    db.close();
  } finally {
    process.exit(0);
  }
});
