import { describe, expect, it } from 'vitest';
import { scanTemplate } from '../../engine/expr/template.js';
import { bindPlaceholders, classifySql, placeholdersInStrings, transactionControl } from '../../engine/sql/classify.js';
import { spansOf } from '../helpers/sql.js';

describe('classifySql: reads', () => {
  it.each([
    // from the seed runbooks
    ['SELECT 1;', 'SELECT'],
    ['SELECT count(*) FROM pg_stat_activity;', 'SELECT'],
    [
      "SELECT \n  schemaname AS table_schema,\n  pg_size_pretty(pg_total_relation_size(schemaname||'.'||tablename)) AS size\nFROM pg_tables\nWHERE schemaname = 'public'\nORDER BY pg_total_relation_size(schemaname||'.'||tablename) DESC;",
      'SELECT',
    ],
    [
      "SELECT id, status, locked_at, locked_by\nFROM plan_versions\nWHERE status = 'LOCKED'\nORDER BY locked_at DESC\nLIMIT 10;",
      'SELECT',
    ],
    ["SELECT * FROM pg_locks WHERE locktype = 'advisory';", 'SELECT'],
    ['SELECT cleanup_expired_idempotency_keys();', 'SELECT'],
    [
      "SELECT * FROM generation_jobs \nWHERE status = 'failed' \nAND created_at > NOW() - INTERVAL '1 hour'\nORDER BY created_at DESC \nLIMIT 10;",
      'SELECT',
    ],
    [
      'SELECT idempotency_key, COUNT(*) \nFROM credit_ledger \nGROUP BY idempotency_key \nHAVING COUNT(*) > 1;',
      'SELECT',
    ],
    [
      "SELECT key, jsonb_pretty(value) as policy\nFROM ops_policy\nWHERE key IN ('reaction_matrix', 'auto_approve', 'proposal_caps');",
      'SELECT',
    ],
    [
      "SELECT routine_name FROM information_schema.routines\nWHERE routine_schema = 'public' AND routine_name LIKE 'ops_%';",
      'SELECT',
    ],
    // keywords in strings, comments and quoted identifiers do not count
    ["SELECT 'DELETE FROM t'", 'SELECT'],
    ["SELECT E'it\\'s; DROP TABLE t'", 'SELECT'],
    ['SELECT $$; DELETE FROM t; $$', 'SELECT'],
    ['-- UPDATE t\nSELECT 1', 'SELECT'],
    ['/* DELETE /* nested */ FROM t; */ SELECT 1', 'SELECT'],
    ['SELECT "update", "delete" FROM "insert"', 'SELECT'],
    ['SELECT [delete] FROM [update]', 'SELECT'],
    ["SELECT has_table_privilege('t', 'UPDATE')", 'SELECT'],
    ['select * from T where t.update = 1', 'SELECT'],
    ["SELECT delete(h, 'k') FROM t", 'SELECT'],
    ['SELECT a FROM t FOR READ ONLY', 'SELECT'],
    ['SELECT substring(s FROM 1 FOR 2) FROM t', 'SELECT'],
    ['SELECT (SELECT 1) AS x', 'SELECT'],
    ['SELECT (SELECT 1 INTO x) FROM t', 'SELECT'],
    // other reading statements
    ['VALUES (1), (2)', 'VALUES'],
    ['TABLE users', 'TABLE'],
    ['(SELECT 1) UNION (SELECT 2)', 'SELECT'],
    ['WITH x AS (SELECT 1) SELECT * FROM x', 'WITH'],
    ['WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r WHERE n < 5) SELECT * FROM r', 'WITH'],
    ["WITH x AS (SELECT replace(a, 'b', 'c') AS a FROM t) SELECT * FROM x", 'WITH'],
    ['SHOW statement_timeout', 'SHOW'],
    ['EXPLAIN SELECT * FROM t', 'EXPLAIN'],
    ['EXPLAIN UPDATE t SET a = 1', 'EXPLAIN'],
    ['EXPLAIN (COSTS OFF) DELETE FROM t', 'EXPLAIN'],
    ['EXPLAIN (ANALYZE false) DELETE FROM t', 'EXPLAIN'],
    ['EXPLAIN ANALYZE SELECT * FROM t', 'EXPLAIN'],
    ['EXPLAIN QUERY PLAN DELETE FROM t', 'EXPLAIN'],
    ['SET statement_timeout = 1000', 'SET'],
    ["SET search_path TO public, 'x'", 'SET'],
    ['SET LOCAL lock_timeout = 500', 'SET'],
    ['SET TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ ONLY', 'SET'],
    ['RESET statement_timeout', 'RESET'],
    ['BEGIN', 'BEGIN'],
    ['BEGIN READ ONLY', 'BEGIN'],
    ['START TRANSACTION ISOLATION LEVEL REPEATABLE READ', 'START'],
    ['COMMIT', 'COMMIT'],
    ['END', 'END'],
    ['ROLLBACK TO SAVEPOINT a', 'ROLLBACK'],
    ['SAVEPOINT a', 'SAVEPOINT'],
    ['RELEASE SAVEPOINT a', 'RELEASE'],
    ['PRAGMA journal_mode', 'PRAGMA'],
    ['pragma main.page_size;', 'PRAGMA'],
    ['PRAGMA table_info(users)', 'PRAGMA'],
    ['PRAGMA integrity_check', 'PRAGMA'],
    ['COPY t TO STDOUT', 'COPY'],
    ['COPY (SELECT * FROM t WHERE a > 1) TO STDOUT WITH (FORMAT csv)', 'COPY'],
    ['LISTEN jobs', 'LISTEN'],
    ['UNLISTEN *', 'UNLISTEN'],
    ['PREPARE q AS DELETE FROM t', 'PREPARE'],
    ['DEALLOCATE q', 'DEALLOCATE'],
    ['DECLARE c CURSOR FOR SELECT * FROM t', 'DECLARE'],
    ['FETCH 10 FROM c', 'FETCH'],
    ['CLOSE c', 'CLOSE'],
  ])('%s reads', (sql, keyword) => {
    const result = classifySql(sql);
    expect(result.writes).toBe(false);
    expect(result.statements).toHaveLength(1);
    expect(result.statements[0]!.keyword).toBe(keyword);
  });
});

describe('classifySql: writes', () => {
  it.each([
    // from the seed runbooks
    ["DELETE FROM telemetry_events \nWHERE timestamp < NOW() - INTERVAL '30 days';", /DELETE removes rows/],
    ['VACUUM ANALYZE;', /VACUUM/],
    ['ANALYZE;', /ANALYZE/],
    ['REINDEX DATABASE algorhythmic;', /REINDEX/],
    [
      "INSERT INTO credit_ledger (\n  user_id, amount\n) VALUES (\n  'user-id-here',\n  (SELECT balance FROM user_credits WHERE user_id = 'user-id-here') + 100\n);",
      /INSERT adds rows/,
    ],
    [
      'WITH calculated AS (\n  SELECT user_id, SUM(amount) as total FROM credit_ledger GROUP BY user_id\n)\nUPDATE user_credits uc\nSET balance = c.total\nFROM calculated c\nWHERE uc.user_id = c.user_id;',
      /^WITH \.\.\. UPDATE modifies rows$/,
    ],
    [
      "UPDATE generation_jobs \nSET status = 'failed', completed_at = NOW()\nWHERE status IN ('pending', 'generating');",
      /^UPDATE modifies rows$/,
    ],
    ["CALL recalculate_user_credits('user-id');", /CALL/],
    [
      "UPDATE plan_versions\nSET status = 'FAILED',\n    notes = notes || E'\\n[MANUAL_RESET] ' || NOW()::text\nWHERE id = <plan_id>\n  AND status = 'SOLVING';",
      /UPDATE/,
    ],
    ["ALTER TABLE ops_mission_steps ADD COLUMN metadata jsonb default '{}'::jsonb;", /ALTER/],
    ['SELECT pg_terminate_backend(<pid>);', /pg_terminate_backend\(\)/],
    // plain writes
    ["insert into t values ('SELECT')", /INSERT/],
    [
      "INSERT INTO ops_policy (key, value) VALUES ('a', '{\"x\": 1}'::jsonb) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
      /INSERT/,
    ],
    ['MERGE INTO t USING s ON t.id = s.id WHEN MATCHED THEN UPDATE SET a = s.a', /MERGE/],
    ['REPLACE INTO t VALUES (1)', /REPLACE/],
    ['INSERT OR REPLACE INTO t VALUES (1)', /INSERT/],
    ['CREATE INDEX CONCURRENTLY i ON t (a)', /CREATE/],
    ['DROP TABLE IF EXISTS t', /DROP/],
    ['TRUNCATE t', /TRUNCATE/],
    ['GRANT SELECT ON t TO r', /GRANT/],
    ['REVOKE ALL ON t FROM r', /REVOKE/],
    ["COMMENT ON TABLE t IS 'x'", /COMMENT/],
    ['CLUSTER t USING i', /CLUSTER/],
    ['REFRESH MATERIALIZED VIEW CONCURRENTLY v', /REFRESH/],
    ['DO $$ BEGIN PERFORM 1; END $$', /DO/],
    ['LOCK TABLE t IN ACCESS EXCLUSIVE MODE', /LOCK/],
    ["NOTIFY jobs, 'go'", /NOTIFY/],
    ["SECURITY LABEL ON TABLE t IS 'x'", /SECURITY LABEL/],
    ['IMPORT FOREIGN SCHEMA s FROM SERVER x INTO y', /IMPORT/],
    ["ATTACH DATABASE 'x.db' AS x", /ATTACH/],
    ['DETACH x', /DETACH/],
    ['EXECUTE q(1)', /EXECUTE/],
    ['DISCARD ALL', /DISCARD/],
    ['CHECKPOINT', /CHECKPOINT/],
    ["LOAD 'auto_explain'", /LOAD/],
    ["VACUUM INTO 'backup.db'", /VACUUM/],
    // locking and SELECT INTO
    ['SELECT * FROM t FOR UPDATE SKIP LOCKED', /FOR UPDATE takes row locks/],
    ['select * from t for no key update', /FOR NO KEY UPDATE/],
    ['SELECT * FROM t FOR SHARE', /FOR SHARE/],
    ['SELECT * FROM t FOR KEY SHARE NOWAIT', /FOR KEY SHARE/],
    ['SELECT * FROM (SELECT * FROM t FOR UPDATE) x', /FOR UPDATE/],
    ['SELECT * INTO backup FROM t', /INTO creates a table/],
    ['SELECT * INTO TEMP backup FROM t', /INTO/],
    ['WITH x AS (SELECT 1) SELECT * INTO y FROM x', /INTO/],
    ['WITH x AS (SELECT 1) SELECT * FROM x FOR UPDATE', /FOR UPDATE/],
    ['(SELECT 1 INTO y)', /INTO/],
    // data-modifying CTEs, at any depth
    [
      'WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone',
      /^WITH \.\.\. DELETE is a data-modifying CTE$/,
    ],
    [
      'WITH a AS (SELECT 1), b AS (INSERT INTO t SELECT * FROM a RETURNING *) SELECT * FROM b',
      /INSERT is a data-modifying CTE/,
    ],
    [
      'WITH a AS (WITH b AS (UPDATE t SET x = 1 RETURNING *) SELECT * FROM b) SELECT * FROM a',
      /UPDATE is a data-modifying CTE/,
    ],
    ['WITH a AS MATERIALIZED (MERGE INTO t USING s ON true WHEN MATCHED THEN DELETE RETURNING *) SELECT 1', /MERGE/],
    ['WITH x AS (SELECT 1) DELETE FROM t', /WITH \.\.\. DELETE removes rows/],
    ['WITH x AS (SELECT 1) REPLACE INTO t SELECT * FROM x', /REPLACE/],
    ['SELECT * FROM t WHERE id IN (WITH d AS (DELETE FROM u RETURNING id) SELECT id FROM d)', /data-modifying DELETE/],
    // EXPLAIN ANALYZE runs the statement
    ['EXPLAIN ANALYZE UPDATE t SET a = 1', /EXPLAIN ANALYZE runs the statement: UPDATE/],
    ['EXPLAIN ANALYSE VERBOSE DELETE FROM t', /EXPLAIN ANALYZE/],
    ['EXPLAIN (FORMAT JSON, BUFFERS, ANALYZE) INSERT INTO t VALUES (1)', /INSERT/],
    ['EXPLAIN (ANALYZE true) DELETE FROM t', /DELETE/],
    ['EXPLAIN ANALYZE SELECT * FROM t FOR UPDATE', /FOR UPDATE/],
    ['EXPLAIN ANALYZE CREATE TABLE x AS SELECT 1', /CREATE/],
    ['EXPLAIN ANALYZE WITH d AS (DELETE FROM t RETURNING *) SELECT * FROM d', /data-modifying CTE/],
    // COPY
    ['COPY t FROM STDIN', /COPY \.\.\. FROM loads rows/],
    ["COPY t (a, b) FROM '/tmp/x.csv' WITH (FORMAT csv)", /FROM/],
    ["COPY t TO '/tmp/x.csv'", /writes a file on the server/],
    ["COPY t TO PROGRAM 'gzip > /tmp/x'", /PROGRAM/],
    ['COPY (DELETE FROM t RETURNING *) TO STDOUT', /COPY \(\.\.\.\) runs a statement that writes/],
    // PRAGMA
    ['PRAGMA journal_mode = WAL', /PRAGMA journal_mode = \.\.\. changes a setting/],
    ['PRAGMA main.user_version(3)', /user_version/],
    ['PRAGMA optimize', /optimize/],
    ['PRAGMA wal_checkpoint(TRUNCATE)', /wal_checkpoint/],
    // anything that would lift the read-only session a reading step runs in
    ['SET default_transaction_read_only = off', /read-only/],
    ['SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE', /read-only/],
    ['SET TRANSACTION READ WRITE', /read-only/],
    ['BEGIN READ WRITE', /read-only/],
    ['START TRANSACTION ISOLATION LEVEL SERIALIZABLE, READ WRITE', /read-only/],
    ['RESET ALL', /read-only/],
    ['RESET transaction_read_only', /read-only/],
    ["SELECT set_config('default_transaction_read_only', 'off', false)", /set_config/],
    ["COMMIT PREPARED 'tx1'", /COMMIT PREPARED/],
    // functions with effects
    ["SELECT pg_cancel_backend(pid) FROM pg_stat_activity WHERE state = 'active'", /pg_cancel_backend/],
    ['SELECT pg_catalog.pg_advisory_lock(42)', /pg_advisory_lock/],
    ['SELECT pg_try_advisory_xact_lock(42)', /pg_try_advisory_xact_lock/],
    ["SELECT setval('s', 1)", /setval/],
    ['SELECT pg_stat_reset()', /pg_stat_reset/],
    ['SELECT pg_reload_conf()', /pg_reload_conf/],
    ["SELECT load_extension('x')", /load_extension/],
    // cursors over locking queries
    ['DECLARE c CURSOR WITH HOLD FOR SELECT * FROM t FOR UPDATE', /FOR UPDATE/],
    // unknown statements, and statements that do not start with a keyword
    ['FROBNICATE t', /^unknown statement FROBNICATE: assumed to write$/],
    ['DESCRIBE t', /unknown statement DESCRIBE/],
    ['\\copy t from x.csv', /not recognised/],
    ['123', /not recognised/],
    ["'text'", /not recognised/],
  ])('%s writes', (sql, reason) => {
    const result = classifySql(sql);
    expect(result.writes).toBe(true);
    expect(result.statements).toHaveLength(1);
    expect(result.statements[0]!.reason).toMatch(reason);
  });

  it('a statement that is only a placeholder is assumed to write', () => {
    const sql = '{{ inputs.statement }}';
    expect(classifySql(sql, spansOf(sql)).statements).toEqual([
      {
        start: 0,
        end: sql.length,
        keyword: '',
        writes: true,
        reason: expect.stringMatching(/assumed to write/),
        assumed: true,
      },
    ]);
  });

  it('keywords are case-insensitive', () => {
    expect(classifySql('dElEtE fRoM t').statements[0]).toMatchObject({ keyword: 'DELETE', writes: true });
    expect(classifySql('sElEcT 1').statements[0]).toMatchObject({
      keyword: 'SELECT',
      writes: false,
      reason: 'SELECT reads',
    });
  });
});

describe('classifySql: statements', () => {
  it('splits on semicolons and says why each one writes', () => {
    const sql = 'SELECT 1; DELETE FROM t; -- done\n;';
    const result = classifySql(sql);
    expect(result.writes).toBe(true);
    expect(result.statements).toEqual([
      { start: 0, end: 8, keyword: 'SELECT', writes: false, reason: 'SELECT reads' },
      { start: 10, end: 23, keyword: 'DELETE', writes: true, reason: 'DELETE removes rows' },
    ]);
  });

  it.each([
    ['', []],
    ['  \n ', []],
    [';;;', []],
    ['-- only a comment', []],
    ['/* a */ ; -- b\n;', []],
    ['BEGIN; UPDATE t SET a = 1; COMMIT;', ['BEGIN', 'UPDATE', 'COMMIT']],
    [
      'SELECT \';\'; SELECT ";"; SELECT $$;$$; SELECT 1 -- ;\n; SELECT /* ; */ 2',
      ['SELECT', 'SELECT', 'SELECT', 'SELECT', 'SELECT'],
    ],
    [
      'CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1; DELETE FROM c; END; SELECT 1;',
      ['CREATE', 'SELECT'],
    ],
    [
      "CREATE TEMP TRIGGER t BEFORE UPDATE ON a FOR EACH ROW WHEN new.x > 0 BEGIN SELECT CASE WHEN new.y IS NULL THEN RAISE(ABORT, 'no; y') END; INSERT INTO log VALUES (new.x); END; DELETE FROM a;",
      ['CREATE', 'DELETE'],
    ],
    [
      'CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT CASE WHEN true THEN 2 END; END; SELECT 3',
      ['CREATE', 'SELECT'],
    ],
    [
      'CREATE RULE r AS ON INSERT TO t DO ALSO (INSERT INTO a VALUES (1); INSERT INTO b VALUES (2)); SELECT 1',
      ['CREATE', 'SELECT'],
    ],
    [
      'CREATE TRIGGER t AFTER INSERT ON a EXECUTE FUNCTION f(); BEGIN; SELECT 1; END;',
      ['CREATE', 'BEGIN', 'SELECT', 'END'],
    ],
    ['CREATE TABLE t (a int); BEGIN; SELECT 1; COMMIT', ['CREATE', 'BEGIN', 'SELECT', 'COMMIT']],
  ])('%j has statements %j', (sql, keywords) => {
    expect(classifySql(sql).statements.map((s) => s.keyword)).toEqual(keywords);
  });

  it('statement spans exclude comments and the semicolon', () => {
    const sql = '-- first\nSELECT 1 /* one */;\n\n  /* x */ UPDATE t SET a = 1 -- two\n';
    expect(classifySql(sql).statements.map((s) => sql.slice(s.start, s.end))).toEqual([
      'SELECT 1',
      'UPDATE t SET a = 1',
    ]);
  });

  it('reads only when every statement reads', () => {
    expect(classifySql('BEGIN; SELECT 1; COMMIT;').writes).toBe(false);
    expect(classifySql('SELECT 1; SELECT 2; TRUNCATE t').writes).toBe(true);
  });

  it('an unterminated string swallows the rest of the text', () => {
    const result = classifySql("SELECT 'oops; DELETE FROM t;");
    expect(result.statements).toHaveLength(1);
    expect(result.statements[0]!.keyword).toBe('SELECT');
  });

  it('a placeholder with a semicolon or quote inside does not split or hide anything', () => {
    const sql = "SELECT * FROM t WHERE a = {{ x == ';' ? 'a' : \"b\" }}; DELETE FROM t WHERE b = {{ y }}";
    const result = classifySql(sql, scanTemplate(sql).slots);
    expect(result.statements.map((s) => [s.keyword, s.writes])).toEqual([
      ['SELECT', false],
      ['DELETE', true],
    ]);
  });

  it('classifies 5 MB quickly', () => {
    const script = "SELECT a, 'x;y' FROM t WHERE b = $1; UPDATE t SET c = E'\\n' WHERE d = 2; -- c\n".repeat(65_000);
    expect(script.length).toBeGreaterThan(5_000_000);
    let started = performance.now();
    const result = classifySql(script);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(result.statements).toHaveLength(130_000);
    expect(result.writes).toBe(true);

    const oneStatement = `INSERT INTO t VALUES ${"(1, 'a', now()), ".repeat(280_000)}(2, 'b', now())`;
    started = performance.now();
    expect(classifySql(oneStatement).statements).toHaveLength(1);
    expect(performance.now() - started).toBeLessThan(10_000);

    const trigger = `CREATE TRIGGER t AFTER INSERT ON a BEGIN ${'UPDATE b SET n = CASE WHEN x THEN 1 END; '.repeat(120_000)} END; SELECT 1`;
    started = performance.now();
    expect(classifySql(trigger).statements.map((s) => s.keyword)).toEqual(['CREATE', 'SELECT']);
    expect(performance.now() - started).toBeLessThan(10_000);
  });

  it('never throws on junk or deeply nested input', () => {
    let seed = 7;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const words = [
      'SELECT',
      'WITH',
      'EXPLAIN',
      'ANALYZE',
      'COPY',
      'PRAGMA',
      'DECLARE',
      'FOR',
      'UPDATE',
      'INTO',
      'CREATE',
      'TRIGGER',
      'BEGIN',
      'END',
      'CASE',
      '(',
      ')',
      ';',
      "'",
      '"',
      '$$',
      '--',
      '\n',
      '{{ x }}',
      '=',
      'TO',
      'FROM',
    ];
    for (let n = 0; n < 500; n++) {
      const sql = Array.from({ length: 40 }, () => words[Math.floor(random() * words.length)]).join(' ');
      const result = classifySql(sql, spansOf(sql));
      expect(typeof result.writes).toBe('boolean');
    }
    expect(classifySql(`${'EXPLAIN ANALYZE '.repeat(10_000)}SELECT 1`).writes).toBe(true);
    expect(classifySql(`${'('.repeat(100_000)}SELECT 1`).writes).toBe(false);
    expect(classifySql('COPY ('.repeat(10_000)).writes).toBe(true);
  });
});

describe('placeholders', () => {
  it.each([
    ['WHERE id = {{ inputs.id }}', 'WHERE id = $1', 'WHERE id = ?', [0]],
    ["WHERE name = '{{ x }}'", "WHERE name = '{{ x }}'", "WHERE name = '{{ x }}'", []],
    ["WHERE a = {{ x == 'a' }} AND b = {{ y }}", 'WHERE a = $1 AND b = $2', 'WHERE a = ? AND b = ?', [0, 1]],
    [
      "SELECT * FROM t WHERE id = {{ plan.value }} AND name = '{{ x }}' -- {{ y }}\nAND n > {{ n }}",
      "SELECT * FROM t WHERE id = $1 AND name = '{{ x }}' -- {{ y }}\nAND n > $2",
      "SELECT * FROM t WHERE id = ? AND name = '{{ x }}' -- {{ y }}\nAND n > ?",
      [0, 3],
    ],
    ["a LIKE '%' || {{ q }} || '%'", "a LIKE '%' || $1 || '%'", "a LIKE '%' || ? || '%'", [0]],
    [
      'x = {{ a }}::int AND y IN ({{ b }}, {{ c }})',
      'x = $1::int AND y IN ($2, $3)',
      'x = ?::int AND y IN (?, ?)',
      [0, 1, 2],
    ],
    [
      'DO $$ BEGIN PERFORM {{ x }}; END $$',
      'DO $$ BEGIN PERFORM {{ x }}; END $$',
      'DO $$ BEGIN PERFORM {{ x }}; END $$',
      [],
    ],
    ['/* {{ a }} */ SELECT {{ b }}', '/* {{ a }} */ SELECT $1', '/* {{ a }} */ SELECT ?', [1]],
    ['x = {{ a }}0', 'x = $1 0', 'x = ? 0', [0]],
    ['x = ${{ a }}', 'x = $ $1', 'x = $ ?', [0]],
    ['{{ a }}{{ b }}', '$1 $2', '??', [0, 1]],
  ])('%s', (sql, postgres, sqlite, params) => {
    const slots = spansOf(sql);
    expect(bindPlaceholders(sql, slots, 'postgres')).toEqual({ text: postgres, params });
    expect(bindPlaceholders(sql, slots, 'sqlite')).toEqual({ text: sqlite, params });
  });

  it('binds placeholders found by the real template scanner, whatever their inside', () => {
    const sql =
      'SELECT * FROM t WHERE a = {{ "}}" }} AND b = {{ rows.map(r => ({ id: r.id })) }} AND c = \'{{ "\'" }}\'';
    const slots = scanTemplate(sql).slots;
    expect(slots).toHaveLength(3);
    expect(bindPlaceholders(sql, slots, 'postgres')).toEqual({
      text: "SELECT * FROM t WHERE a = $1 AND b = $2 AND c = '{{ \"'\" }}'",
      params: [0, 1],
    });
    expect(placeholdersInStrings(sql, slots)).toEqual([2]);
  });

  it.each([
    ["WHERE name = '{{ x }}'", [0]],
    ['WHERE id = {{ inputs.id }}', []],
    ["WHERE a = {{ a }} AND b = '{{ b }}' AND c LIKE '%' || {{ c }} || '%' AND d = \"{{ d }}\"", [1, 3]],
    ["WHERE a = E'\\n{{ a }}' AND b = $$ {{ b }} $$ AND c = $t${{ c }}$t$", [0, 1, 2]],
    ["WHERE a = '{{ a == 'x' }}'", [0]],
    ["WHERE a = '{{ a }}' || '{{ b }}' || {{ c }}", [0, 1]],
    ['-- {{ a }}\nSELECT 1', []],
    ['SELECT [{{ a }}] FROM t', [0]],
    ["WHERE a = 'unterminated {{ a }}", [0]],
  ])('placeholders in strings of %s', (sql, expected) => {
    expect(placeholdersInStrings(sql, spansOf(sql))).toEqual(expected);
  });

  it('a value with SQL in it never reaches the SQL text', () => {
    const sql = 'DELETE FROM t WHERE id = {{ inputs.id }}';
    expect(bindPlaceholders(sql, scanTemplate(sql).slots, 'postgres')).toEqual({
      text: 'DELETE FROM t WHERE id = $1',
      params: [0],
    });
  });

  it('needs no placeholders', () => {
    expect(bindPlaceholders('SELECT 1', [], 'postgres')).toEqual({ text: 'SELECT 1', params: [] });
    expect(placeholdersInStrings("SELECT '{{ x }}'", [])).toEqual([]);
  });

  it('binds 5 MB with many placeholders quickly', () => {
    const sql = "INSERT INTO t VALUES ({{ a }}, '{{ b }}', {{ c }}); ".repeat(100_000);
    const slots = spansOf(sql);
    const started = performance.now();
    const bound = bindPlaceholders(sql, slots, 'postgres');
    expect(placeholdersInStrings(sql, slots)).toHaveLength(100_000);
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(bound.params).toHaveLength(200_000);
    expect(bound.text.endsWith("($199999, '{{ b }}', $200000); ")).toBe(true);
  });
});

describe('transactionControl', () => {
  it.each([
    ['COMMIT', ['COMMIT']],
    ['begin; update t set a = 1; end', ['BEGIN', 'END']],
    ['START TRANSACTION READ WRITE', ['START TRANSACTION']],
    ['ROLLBACK', ['ROLLBACK']],
    ['rollback work', ['ROLLBACK']],
    ['ABORT', ['ABORT']],
    ["PREPARE TRANSACTION 'x'", ['PREPARE TRANSACTION']],
    ["COMMIT PREPARED 'x'", ['COMMIT PREPARED']],
  ])('%s ends or opens a transaction', (sql, phrases) => {
    expect(transactionControl(sql).map((s) => s.phrase)).toEqual(phrases);
  });

  it.each([
    'SAVEPOINT a; UPDATE t SET x = 1; ROLLBACK TO SAVEPOINT a; RELEASE a',
    "SELECT 'COMMIT'",
    '-- COMMIT\nSELECT 1',
    'PREPARE q AS SELECT 1',
    'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE u SET n = n + 1; END',
    'SELECT "begin" FROM t',
  ])('%s stays inside the transaction', (sql) => {
    expect(transactionControl(sql)).toEqual([]);
  });
});

describe('classifySql: remembered', () => {
  it('keys on the opaque spans as well as the text, and answers the same after being forgotten', () => {
    const plain = classifySql('SELECT 1');
    const hidden = classifySql('SELECT 1', [{ start: 0, end: 6 }]);
    expect(plain.statements[0]!.keyword).toBe('SELECT');
    expect(hidden.statements[0]!.keyword).toBe('');
    expect(classifySql('SELECT 1')).toBe(plain);
    const update = structuredClone(classifySql('UPDATE t SET a = {{ x }}', [{ start: 17, end: 24 }]));
    for (let i = 0; i < 600; i++) classifySql(`SELECT ${i}`);
    expect(classifySql('SELECT 1')).not.toBe(plain);
    expect(classifySql('SELECT 1')).toEqual(plain);
    expect(classifySql('UPDATE t SET a = {{ x }}', [{ start: 17, end: 24 }])).toEqual(update);
  });

  it('remembers transaction control apart from the classification of the same text', () => {
    const found = transactionControl('SELECT 1; COMMIT');
    expect(found).toEqual([{ start: 10, end: 16, phrase: 'COMMIT' }]);
    expect(transactionControl('SELECT 1; COMMIT')).toBe(found);
    expect(classifySql('SELECT 1; COMMIT').statements.map((s) => s.keyword)).toEqual(['SELECT', 'COMMIT']);
    expect(transactionControl('SELECT 1; COMMIT', [{ start: 10, end: 16 }])).toEqual([]);
  });
});
