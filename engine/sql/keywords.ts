/** Leading keywords, by what a statement starting with them does. When unsure, a statement writes. */

export const READ_KEYWORDS = new Set(['SELECT', 'VALUES', 'TABLE', 'SHOW', 'EXPLAIN', 'WITH', 'DESCRIBE', 'DESC', 'FETCH', 'MOVE', 'CLOSE', 'DECLARE', 'PREPARE', 'EXECUTE', 'DEALLOCATE']);

/** Session and transaction control: changes no data by itself. */
export const CONTROL_KEYWORDS = new Set(['SET', 'RESET', 'BEGIN', 'START', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'ABORT', 'CHECKPOINT']);

export const WRITE_KEYWORDS: Record<string, string> = {
  INSERT: 'INSERT adds rows',
  UPDATE: 'UPDATE modifies rows',
  DELETE: 'DELETE removes rows',
  MERGE: 'MERGE modifies rows',
  UPSERT: 'UPSERT modifies rows',
  REPLACE: 'REPLACE modifies rows',
  CREATE: 'CREATE changes the schema',
  DROP: 'DROP changes the schema',
  ALTER: 'ALTER changes the schema',
  TRUNCATE: 'TRUNCATE removes all rows',
  GRANT: 'GRANT changes privileges',
  REVOKE: 'REVOKE changes privileges',
  COMMENT: 'COMMENT changes the catalog',
  VACUUM: 'VACUUM rewrites storage',
  ANALYZE: 'ANALYZE updates statistics',
  REINDEX: 'REINDEX rebuilds indexes',
  CLUSTER: 'CLUSTER rewrites a table',
  REFRESH: 'REFRESH rewrites a materialized view',
  CALL: 'CALL runs a procedure, which may write',
  DO: 'DO runs a code block, which may write',
  LOCK: 'LOCK takes table locks',
  NOTIFY: 'NOTIFY sends a notification to listeners',
  LISTEN: 'LISTEN changes session state other sessions see',
  UNLISTEN: 'UNLISTEN changes session state',
  SECURITY: 'SECURITY LABEL changes the catalog',
  IMPORT: 'IMPORT FOREIGN SCHEMA changes the schema',
  ATTACH: 'ATTACH opens another database file',
  DETACH: 'DETACH closes a database file',
  REASSIGN: 'REASSIGN OWNED changes ownership',
  DISCARD: 'DISCARD drops session state',
  LOAD: 'LOAD loads a library',
  SECURITY_LABEL: 'SECURITY LABEL changes the catalog',
};

/** Keywords that make a WITH or EXPLAIN ANALYZE statement a write when they start a sub-statement. */
export const DATA_MODIFYING = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE']);

/** FOR UPDATE / FOR SHARE / FOR NO KEY UPDATE / FOR KEY SHARE take row locks. */
export const LOCK_STRENGTH = new Set(['UPDATE', 'SHARE', 'NO', 'KEY']);
