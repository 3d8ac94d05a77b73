/**
 * Keyword tables for the SQL lexer and classifier: which leading keywords read and which write
 * (with the reason shown to the author), plus the few functions and pragmas that need a rule of
 * their own. When a keyword is in neither table, the statement is assumed to write.
 */

/** Statements that change data, the schema, privileges, storage or other sessions. */
export const WRITES: Readonly<Record<string, string>> = {
  INSERT: 'INSERT adds rows',
  UPDATE: 'UPDATE modifies rows',
  DELETE: 'DELETE removes rows',
  MERGE: 'MERGE modifies rows',
  UPSERT: 'UPSERT modifies rows',
  REPLACE: 'REPLACE inserts or replaces rows',
  CREATE: 'CREATE changes the schema',
  DROP: 'DROP removes objects',
  ALTER: 'ALTER changes the schema',
  TRUNCATE: 'TRUNCATE removes all rows',
  GRANT: 'GRANT changes privileges',
  REVOKE: 'REVOKE changes privileges',
  COMMENT: 'COMMENT changes the catalog',
  VACUUM: 'VACUUM rewrites storage',
  ANALYZE: 'ANALYZE updates planner statistics',
  ANALYSE: 'ANALYSE updates planner statistics',
  REINDEX: 'REINDEX rebuilds indexes',
  CLUSTER: 'CLUSTER rewrites a table',
  REFRESH: 'REFRESH rewrites a materialized view',
  CALL: 'CALL runs a procedure, which may write',
  DO: 'DO runs a code block, which may write',
  EXECUTE: 'EXECUTE runs a prepared statement, which may write',
  LOCK: 'LOCK takes table locks',
  NOTIFY: 'NOTIFY wakes up other sessions listening',
  SECURITY: 'SECURITY LABEL changes the catalog',
  IMPORT: 'IMPORT FOREIGN SCHEMA changes the schema',
  REASSIGN: 'REASSIGN OWNED changes ownership',
  ATTACH: 'ATTACH opens (or creates) another database file',
  DETACH: 'DETACH closes a database file',
  LOAD: 'LOAD loads a shared library into the server',
  CHECKPOINT: 'CHECKPOINT forces a server-wide checkpoint',
  DISCARD: 'DISCARD drops session state (temporary tables, read-only mode)',
};

/** Statements that only read, or control the session or transaction (they change no data by themselves). */
export const READS: Readonly<Record<string, string>> = {
  SHOW: 'SHOW reads a setting',
  FETCH: 'FETCH reads from a cursor',
  MOVE: 'MOVE repositions a cursor',
  CLOSE: 'CLOSE closes a cursor',
  PREPARE: 'PREPARE only plans a statement (EXECUTE runs it)',
  DEALLOCATE: 'DEALLOCATE forgets a prepared statement',
  LISTEN: 'LISTEN only subscribes this session to notifications',
  UNLISTEN: 'UNLISTEN only unsubscribes this session from notifications',
  BEGIN: 'BEGIN is transaction control',
  START: 'START TRANSACTION is transaction control',
  COMMIT: 'COMMIT is transaction control',
  END: 'END is transaction control',
  ROLLBACK: 'ROLLBACK is transaction control',
  ABORT: 'ABORT is transaction control',
  SAVEPOINT: 'SAVEPOINT is transaction control',
  RELEASE: 'RELEASE is transaction control',
};

/** Words that start a data-modifying statement inside WITH, a subquery, COPY (...) or EXPLAIN ANALYZE. */
export const DATA_MODIFYING = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** Functions with effects beyond the query, though a SELECT calling them reads syntactically. */
export const EFFECT_FUNCTIONS = new Set([
  'PG_TERMINATE_BACKEND', 'PG_CANCEL_BACKEND', 'PG_RELOAD_CONF', 'PG_ROTATE_LOGFILE', 'PG_SWITCH_WAL', 'PG_PROMOTE',
  'PG_CREATE_RESTORE_POINT', 'PG_WAL_REPLAY_PAUSE', 'PG_WAL_REPLAY_RESUME', 'PG_BACKUP_START', 'PG_BACKUP_STOP',
  'PG_CREATE_LOGICAL_REPLICATION_SLOT', 'PG_CREATE_PHYSICAL_REPLICATION_SLOT', 'PG_DROP_REPLICATION_SLOT',
  'PG_REPLICATION_SLOT_ADVANCE', 'PG_LOGICAL_EMIT_MESSAGE', 'PG_NOTIFY', 'PG_STAT_STATEMENTS_RESET', 'PG_FILE_WRITE',
  'PG_IMPORT_SYSTEM_COLLATIONS', 'NEXTVAL', 'SETVAL', 'LO_IMPORT', 'LO_EXPORT', 'LO_UNLINK', 'LO_CREATE', 'LO_CREAT',
  'LO_PUT', 'LO_FROM_BYTEA', 'DBLINK_EXEC', 'LOAD_EXTENSION', 'WRITEFILE',
]);
/** Families of such functions: advisory locks (held by a pooled session) and statistics resets. */
export const EFFECT_FUNCTION_PREFIXES = ['PG_ADVISORY_', 'PG_TRY_ADVISORY_', 'PG_STAT_RESET'];

/** SQLite pragmas whose `(argument)` form reads; for any other pragma `(value)` sets it. */
export const READ_PRAGMAS_WITH_ARGUMENT = new Set([
  'TABLE_INFO', 'TABLE_XINFO', 'TABLE_LIST', 'INDEX_INFO', 'INDEX_XINFO', 'INDEX_LIST', 'FOREIGN_KEY_LIST',
  'FOREIGN_KEY_CHECK', 'INTEGRITY_CHECK', 'QUICK_CHECK',
]);
/** SQLite pragmas that act on the database even without an argument. */
export const ACTION_PRAGMAS = new Set(['OPTIMIZE', 'INCREMENTAL_VACUUM', 'WAL_CHECKPOINT']);

/**
 * Keywords after which `[` opens an SQLite bracket identifier (`SELECT [a b] FROM [t]`); after any
 * other word it is a PostgreSQL subscript (`a[1]`, `ARRAY[1]`, `int[]`).
 */
export const BRACKET_AFTER = new Set([
  'SELECT', 'FROM', 'JOIN', 'WHERE', 'AND', 'OR', 'NOT', 'ON', 'BY', 'AS', 'SET', 'INTO', 'UPDATE', 'TABLE', 'INDEX',
  'VIEW', 'TRIGGER', 'DISTINCT', 'ALL', 'CASE', 'WHEN', 'THEN', 'ELSE', 'IS', 'IN', 'LIKE', 'GLOB', 'BETWEEN', 'HAVING',
  'RETURNING', 'USING', 'UNION', 'EXCEPT', 'INTERSECT', 'EXISTS', 'WITH', 'DELETE', 'INSERT', 'REPLACE',
  'LEFT', 'RIGHT', 'INNER', 'OUTER', 'CROSS', 'NATURAL', 'FULL', 'DROP', 'CREATE', 'ALTER', 'RENAME', 'TO', 'COLUMN',
  'ADD', 'REFERENCES', 'PRAGMA', 'ANALYZE', 'REINDEX', 'IF', 'COLLATE', 'ESCAPE', 'ORDER', 'GROUP',
]);
