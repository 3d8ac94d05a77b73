import { describe, expect, it } from 'vitest';
import { scanTemplate } from '../../engine/expr/template.js';
import { bindPlaceholders, classifySql, placeholdersInStrings } from '../../engine/sql/classify.js';

describe('classifySql', () => {
  it.each([
    ['SELECT id FROM plan_versions WHERE status = \'LOCKED\' ORDER BY locked_at DESC LIMIT 10;', false],
    ["SELECT * FROM pg_locks WHERE locktype = 'advisory';", false],
    ['SELECT cleanup_expired_idempotency_keys();', false],
    ["UPDATE plan_versions SET status = 'FAILED', notes = notes || E'\\n[MANUAL_RESET] ' || NOW()::text WHERE id = 1", true],
    ["ALTER TABLE ops_mission_steps ADD COLUMN metadata jsonb default '{}'::jsonb;", true],
    ["SELECT 'DELETE FROM t'", false],
    ['-- UPDATE t\nSELECT 1', false],
    ['SELECT "update" FROM t', false],
    ['WITH x AS (SELECT 1) SELECT * FROM x', false],
    ['WITH gone AS (DELETE FROM t RETURNING *) SELECT count(*) FROM gone', true],
    ['EXPLAIN UPDATE t SET a = 1', false],
    ['EXPLAIN ANALYZE UPDATE t SET a = 1', true],
    ['SELECT * FROM t FOR UPDATE SKIP LOCKED', true],
    ['SELECT * INTO backup FROM t', true],
    ['SELECT (SELECT 1 INTO x) FROM t', false],
    ['COPY t TO STDOUT', false],
    ['COPY t FROM STDIN', true],
    ['PRAGMA journal_mode', false],
    ['PRAGMA journal_mode = WAL', true],
    ['SET statement_timeout = 1000', false],
    ['BEGIN; UPDATE t SET a = 1; COMMIT;', true],
    ['BEGIN; SELECT 1; COMMIT;', false],
    ['VACUUM', true],
    ['FROBNICATE t', true],
    ['DO $$ BEGIN PERFORM 1; END $$', true],
    ['INSERT INTO ops_policy (key, value) VALUES (\'a\', \'{"x": 1}\'::jsonb) ON CONFLICT (key) DO UPDATE SET value = excluded.value', true],
  ])('%s → writes %s', (sql, writes) => {
    expect(classifySql(sql).writes).toBe(writes);
  });

  it('splits statements and says why each writes', () => {
    const result = classifySql("SELECT 1; DELETE FROM t; -- done\n;");
    expect(result.statements.map((s) => [s.keyword, s.writes])).toEqual([['SELECT', false], ['DELETE', true]]);
    expect(result.statements[1]!.reason).toMatch(/removes rows/);
  });

  it('keeps a SQLite trigger body together', () => {
    const sql = 'CREATE TRIGGER t AFTER INSERT ON a BEGIN UPDATE b SET n = n + 1; DELETE FROM c; END; SELECT 1;';
    expect(classifySql(sql).statements.map((s) => s.keyword)).toEqual(['CREATE', 'SELECT']);
  });
});

describe('placeholders', () => {
  const slots = (sql: string) => scanTemplate(sql).slots;

  it('binds placeholders outside strings as parameters', () => {
    const sql = "SELECT * FROM t WHERE id = {{ plan.value }} AND name = '{{ x }}' -- {{ y }}\nAND n > {{ n }}";
    expect(bindPlaceholders(sql, slots(sql), 'postgres')).toEqual({ text: "SELECT * FROM t WHERE id = $1 AND name = '{{ x }}' -- {{ y }}\nAND n > $2", params: [0, 3] });
    expect(bindPlaceholders(sql, slots(sql), 'sqlite').text).toBe("SELECT * FROM t WHERE id = ? AND name = '{{ x }}' -- {{ y }}\nAND n > ?");
  });

  it('finds placeholders inside quotes', () => {
    const sql = "WHERE a = {{ a }} AND b = '{{ b }}' AND c LIKE '%' || {{ c }} || '%' AND d = \"{{ d }}\"";
    expect(placeholdersInStrings(sql, slots(sql))).toEqual([1, 3]);
  });

  it('an injection attempt in a value never reaches the SQL text', () => {
    const sql = 'DELETE FROM t WHERE id = {{ inputs.id }}';
    const bound = bindPlaceholders(sql, slots(sql), 'postgres');
    expect(bound.text).toBe('DELETE FROM t WHERE id = $1');
  });
});
