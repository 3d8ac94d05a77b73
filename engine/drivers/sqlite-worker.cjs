// The SQLite worker: a child process that owns one better-sqlite3 database. better-sqlite3 is
// synchronous and cannot be interrupted, so a query past its timeout is stopped by killing this
// process (the parent starts a new one). Messages: { id, statements: [{ sql, params }], readonly, maxRows } →
// { id, result } | { id, error, code }.
'use strict';
const crypto = require('node:crypto');
const Database = require('better-sqlite3');

const [path, readonlyFlag] = process.argv.slice(2);
const readonlyDb = readonlyFlag === '1';
let db;
try {
  db = new Database(path, { readonly: readonlyDb, fileMustExist: readonlyDb });
  if (!readonlyDb && path !== ':memory:') db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
} catch (error) {
  process.send({ id: 0, error: `cannot open SQLite database ${path}: ${error.message}`, code: error.code });
  process.exit(1);
}

const safe = (_k, v) => (typeof v === 'bigint' ? v.toString() : Buffer.isBuffer(v) ? v.toString('base64') : v);

function runOne(sql, rawParams, maxRows, started) {
  const stmt = db.prepare(sql);
  const params = rawParams.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
  const command = (/^\s*(\w+)/.exec(sql) || [, ''])[1].toUpperCase();
  if (stmt.reader) {
    const hash = crypto.createHash('sha256');
    const rows = [];
    let count = 0;
    for (const row of stmt.iterate(...params)) {
      const plain = JSON.parse(JSON.stringify(row, safe));
      hash.update(`${JSON.stringify(plain)}\n`);
      if (rows.length < maxRows) rows.push(plain);
      count++;
    }
    const fields = stmt.columns().map((c) => ({ name: c.name, ...(c.type ? { type: c.type } : {}) }));
    return { rows, rowCount: count, fields, command, truncated: count > rows.length, sha256: hash.digest('hex'), ms: Math.round(performance.now() - started) };
  }
  const info = stmt.run(...params);
  return { rows: [], rowCount: info.changes, fields: [], command, truncated: false, sha256: crypto.createHash('sha256').digest('hex'), ms: Math.round(performance.now() - started) };
}

process.on('message', (message) => {
  const started = performance.now();
  try {
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
