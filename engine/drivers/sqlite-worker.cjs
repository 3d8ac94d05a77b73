// The SQLite worker: a child process that owns one better-sqlite3 database (see sqlite.ts).
// better-sqlite3 is synchronous and a running statement cannot be interrupted from JavaScript,
// so a query past its timeout is stopped by killing this process; the parent starts a new one.
// Plain CommonJS so it can be forked as-is from the TypeScript sources (vitest) and from dist/.
// argv: <path> <readonly 0|1>. Messages: { id, statements: [{ sql, params }], readonly, maxRows }
// → { id, result } | { id, error, code }; id 0 reports a database that cannot be opened.
//
// The process is two threads. A statement runs in a worker thread; the main thread only relays
// messages, so it is free to notice the parent going away (its IPC channel closes) even while a
// statement runs, and then ends the process: a `stepwise` killed with kill -9 in the middle of a
// long query leaves no worker behind spinning on it.
'use strict';
const { isMainThread, parentPort, Worker, workerData } = require('node:worker_threads');

if (isMainThread) relay();
else serve();

/** The main thread: passes messages between the parent and the statement thread; ends with the parent. */
function relay() {
  const thread = new Worker(__filename, { workerData: process.argv.slice(2) });
  thread.on('message', (message) => {
    if (message === 'closed') process.exit(0);
    process.send(message, () => {
      if (message.id === 0) process.exit(1); // the database cannot be opened
    });
  });
  thread.on('error', (error) => {
    process.send({ id: 0, error: `the SQLite worker failed: ${error.message}` }, () => process.exit(1));
  });
  process.on('message', (message) => thread.postMessage(message));
  // The parent closed the channel (close()), or died: the statement thread closes the database
  // (so the WAL is checkpointed) when it is idle. A statement still running is not waited for,
  // and cannot be stopped from JavaScript (process.exit() would wait for the thread to leave
  // SQLite's C code): the process kills itself, which SQLite's journal makes safe.
  process.on('disconnect', () => {
    thread.postMessage('close');
    setTimeout(() => process.kill(process.pid, 'SIGKILL'), 1000).unref();
  });
}

function serve() {
  const crypto = require('node:crypto');
  const Database = require('better-sqlite3');

  const [path, readonlyFlag] = workerData;
  const readonlyDb = readonlyFlag === '1';
  /** The database, or undefined when it cannot be opened (reported as id 0, then the worker exits). */
  function open() {
    try {
      // A read-only target must exist; a writable one is created when missing.
      const opened = new Database(path, { readonly: readonlyDb, fileMustExist: readonlyDb });
      if (!readonlyDb && path !== ':memory:' && path !== '') opened.pragma('journal_mode = WAL');
      opened.pragma('busy_timeout = 5000');
      return opened;
    } catch (error) {
      parentPort.postMessage({
        id: 0,
        error: `cannot open SQLite database ${path}: ${error.message}`,
        code: error.code,
      });
      return undefined;
    }
  }
  const db = open();

  /** JSON-friendly values: integers exact (a number when safe, else a string), blobs as base64. */
  function plain(value) {
    if (typeof value === 'bigint')
      return value >= Number.MIN_SAFE_INTEGER && value <= Number.MAX_SAFE_INTEGER ? Number(value) : value.toString();
    if (Buffer.isBuffer(value)) return value.toString('base64');
    return value;
  }

  // The limits of row-digest.ts (keep them equal): a cell keeps at most MAX_CELL_BYTES, and the rows
  // kept stop before their JSON passes MAX_RESULT_BYTES; every row is still counted and hashed whole.
  const MAX_CELL_BYTES = 64 * 1024;
  const MAX_RESULT_BYTES = 4 * 1024 * 1024;

  /** The longest start of `text` whose UTF-8 is at most `limit` bytes, never splitting a character. */
  function utf8Prefix(text, limit) {
    let bytes = 0;
    let i = 0;
    while (i < text.length) {
      const c = text.charCodeAt(i);
      const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
      const size = pair ? 4 : c < 0x80 ? 1 : c < 0x800 ? 2 : 3;
      if (bytes + size > limit) break;
      bytes += size;
      i += pair ? 2 : 1;
    }
    return text.slice(0, i);
  }

  /** A cell over the limit: what is kept (text cut on a character, a blob's first bytes as base64), its whole size and sha256. */
  function boundCell(raw, limits) {
    if (Buffer.isBuffer(raw)) {
      if (raw.length <= limits.cellBytes) return undefined;
      return {
        kept: raw.subarray(0, limits.cellBytes).toString('base64'),
        bytes: raw.length,
        sha256: crypto.createHash('sha256').update(raw).digest('hex'),
      };
    }
    if (typeof raw !== 'string' || raw.length * 3 <= limits.cellBytes) return undefined;
    const bytes = Buffer.byteLength(raw);
    if (bytes <= limits.cellBytes) return undefined;
    return {
      kept: utf8Prefix(raw, limits.cellBytes),
      bytes,
      sha256: crypto.createHash('sha256').update(raw, 'utf8').digest('hex'),
    };
  }

  function runOne(sql, rawParams, maxRows, started, limits) {
    const stmt = db.prepare(sql);
    const params = rawParams.map((p) => (typeof p === 'boolean' ? (p ? 1 : 0) : p));
    const command = (/^\s*(\w+)/.exec(sql)?.[1] ?? '').toUpperCase();
    const hash = crypto.createHash('sha256');
    if (stmt.reader) {
      stmt.safeIntegers(true); // read every INTEGER exactly; plain() narrows it
      const rows = [];
      const cells = [];
      let count = 0;
      let keptBytes = 0;
      let bySize = false;
      for (const row of stmt.iterate(...params)) {
        const out = {};
        for (const key in row) out[key] = plain(row[key]);
        const line = JSON.stringify(out);
        hash.update(`${line}\n`);
        count++;
        if (bySize || rows.length >= maxRows) continue;
        let kept = out;
        const cut = [];
        if (line.length * 3 > limits.cellBytes && Buffer.byteLength(line) > limits.cellBytes) {
          kept = {};
          for (const key in row) {
            const bounded = boundCell(row[key], limits);
            if (bounded) cut.push({ row: rows.length, column: key, bytes: bounded.bytes, sha256: bounded.sha256 });
            // An own property, also for a column named `__proto__` (engine/run/own-property.ts's
            // setOwn; row-digest.ts does the same): this worker is plain CommonJS forked as its own
            // process, so it cannot import the TypeScript module and keeps this copy.
            Object.defineProperty(kept, key, {
              value: bounded ? bounded.kept : out[key],
              enumerable: true,
              writable: true,
              configurable: true,
            });
          }
        }
        const size = kept === out ? Buffer.byteLength(line) : Buffer.byteLength(JSON.stringify(kept));
        if (keptBytes + size > limits.resultBytes) {
          bySize = true;
          continue;
        }
        keptBytes += size;
        rows.push(kept);
        cells.push(...cut);
      }
      const fields = stmt.columns().map((c) => ({ name: c.name, ...(c.type ? { type: c.type } : {}) }));
      const truncated = count > rows.length;
      return {
        rows,
        rowCount: count,
        fields,
        command,
        truncated,
        sha256: hash.digest('hex'),
        ...(truncated ? { truncatedBy: bySize ? 'size' : 'max-rows' } : {}),
        ...(cells.length > 0 ? { truncatedCells: cells } : {}),
        ms: Math.round(performance.now() - started),
      };
    }
    const info = stmt.run(...params);
    return {
      rows: [],
      rowCount: info.changes,
      fields: [],
      command,
      truncated: false,
      sha256: hash.digest('hex'),
      ms: Math.round(performance.now() - started),
    };
  }

  if (db)
    parentPort.on('message', (message) => {
      if (message === 'close') {
        db.close();
        parentPort.postMessage('closed');
        return;
      }
      const started = performance.now();
      const limits = { cellBytes: MAX_CELL_BYTES, resultBytes: MAX_RESULT_BYTES };
      try {
        // SQLite has no read-only transaction: query_only makes this connection refuse writes.
        if (message.readonly) db.pragma('query_only = ON');
        try {
          const all = () => {
            let result;
            for (const s of message.statements) result = runOne(s.sql, s.params, message.maxRows, started, limits);
            return result;
          };
          // Several statements are one transaction: all or nothing.
          const result = message.statements.length > 1 ? db.transaction(all)() : all();
          parentPort.postMessage({ id: message.id, result });
        } finally {
          if (message.readonly) db.pragma('query_only = OFF');
        }
      } catch (error) {
        parentPort.postMessage({ id: message.id, error: error.message, code: error.code });
      }
    });
}
