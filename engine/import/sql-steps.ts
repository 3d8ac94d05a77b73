/**
 * SQL text → sql steps: one step per statement, or one script step for a transaction; a confirm
 * (a danger confirm when the text says dangerous, or an UPDATE/DELETE has no WHERE) before writes.
 * Statements Stepwise does not recognise stay prose.
 */
import { classifySql, type SqlStatement } from '../sql/classify.js';
import { DANGER } from './danger.js';
import { stepId, suffixId } from './ids.js';
import { SQL_START } from './languages.js';
import { emptyNeeds } from './needs.js';
import { addGroup, leave, type Plan } from './plan.js';
import { sqlPlaceholders } from './sql-placeholders.js';
import { sqlTarget } from './sql-target.js';
import { firstLine, lineOf } from './text.js';
import type { Context, SqlWhere } from './types.js';
import { confirm, container, phrase, type Unit } from './units.js';

interface Piece {
  text: string;
  source: string;
  line: number;
  statements: SqlStatement[];
}

/** One or more SQL statements (a block's text, or a one-liner's argument) → sql steps. */
export function sqlText(plan: Plan, text: string, ctx: Context, startLine: number, target: SqlWhere | null): void {
  let { statements } = classifySql(text);
  // A line that is not SQL (`pql dbname`, a shell line) run into the statement after it: leave
  // that line, and read the statement from the line where it starts.
  for (let round = 0; round < 8; round++) {
    const bad = statements.find(
      (s) =>
        s.assumed === true &&
        text
          .slice(s.start, s.end)
          .split('\n')
          .slice(1)
          .some((l) => SQL_START.test(l)),
    );
    if (bad === undefined) break;
    const body = text.slice(bad.start, bad.end);
    const bodyLines = body.split('\n');
    let at = bad.start + bodyLines[0]!.length + 1;
    for (let k = 1; k < bodyLines.length && !SQL_START.test(bodyLines[k]!); k++) at += bodyLines[k]!.length + 1;
    leave(
      plan,
      startLine + lineOf(text, bad.start),
      `\`${firstLine(body.trim())}\` is not SQL Stepwise recognises: left as written`,
    );
    text = text.slice(0, bad.start) + text.slice(bad.start, at).replace(/[^\n]/g, ' ') + text.slice(at);
    statements = classifySql(text).statements;
  }
  if (statements.length === 0) return;
  const control = /^(BEGIN|COMMIT|ROLLBACK|END|ABORT|START|SAVEPOINT|RELEASE)$/;
  const unknown = statements.filter((s) => s.assumed === true && !control.test(s.keyword));
  for (const s of unknown)
    leave(
      plan,
      startLine + lineOf(text, s.start),
      s.keyword === ''
        ? 'a SQL statement Stepwise cannot classify'
        : `\`${s.keyword}\` is not a statement Stepwise recognises: left as written`,
    );
  const meaningful = statements.filter(
    (s) => (!control.test(s.keyword) || s.keyword === 'SAVEPOINT') && s.assumed !== true,
  );
  if (meaningful.length === 0) return;
  const transaction = meaningful.length < statements.length && meaningful.length > 1;
  const pieces = (list: SqlStatement[]): Piece[] => {
    const out: Piece[] = [];
    let cursor = 0;
    for (const s of statements) {
      const end = text[s.end] === ';' ? s.end + 1 : s.end;
      if (list.includes(s)) {
        const lead = text.slice(cursor, s.start);
        const comments = lead
          .split('\n')
          .filter((l) => /^\s*--/.test(l))
          .join('\n');
        const body = `${comments === '' ? '' : `${comments}\n`}${text.slice(s.start, end)}`;
        out.push({ text: body, source: text, line: startLine + lineOf(text, s.start), statements: [s] });
      }
      cursor = end;
    }
    return out;
  };
  if (transaction) {
    const all = pieces(meaningful);
    const first = all[0]!;
    sqlStep(
      plan,
      {
        text: all.map((p) => p.text).join('\n\n'),
        source: text,
        line: first.line,
        statements: meaningful,
      },
      ctx,
      target,
      true,
    );
    return;
  }
  for (const piece of pieces(meaningful)) sqlStep(plan, piece, ctx, target, false);
}

function sqlStep(plan: Plan, piece: Piece, ctx: Context, target: SqlWhere | null, script: boolean): void {
  const needs = emptyNeeds();
  const converted = sqlPlaceholders(piece.text, needs, piece.line);
  if (converted === null) {
    leave(plan, piece.line, 'a placeholder inside a SQL string: write the statement with a bind value by hand');
    return;
  }
  const targetName = sqlTarget(plan, target, needs);
  const writes = piece.statements.some((s) => s.writes);
  const comment = /^\s*--\s*(.+)$/m.exec(piece.text)?.[1];
  const first = piece.statements[0]!;
  const table = tableOf(piece.source.slice(first.start, first.end), first.keyword);
  const base = comment ?? (writes ? `${first.keyword} ${table ?? ''}` : ctx.title || `${first.keyword} ${table ?? ''}`);
  const id = stepId(plan, base, 'sql');
  const units: Unit[] = [];
  const review: string[] = [];
  const attrs = [`target=${targetName}`];
  if (script) attrs.push('script=true');
  if (writes) {
    const noWhere = piece.statements.some(
      (s) =>
        /^(UPDATE|DELETE|TRUNCATE|DROP)$/.test(s.keyword) && !/\bWHERE\b/i.test(piece.source.slice(s.start, s.end)),
    );
    const effect = /pg_terminate_backend|pg_cancel_backend/i.test(piece.text);
    const danger = noWhere || effect || DANGER.test(ctx.around) || DANGER.test(comment ?? '');
    const what = piece.statements
      .filter((s) => s.writes)
      .map((s) => {
        const t = piece.source.slice(s.start, s.end);
        const fn = /\b(pg_terminate_backend|pg_cancel_backend|pg_advisory_unlock\w*|pg_reload_conf)\b/i.exec(t)?.[1];
        if (fn !== undefined) return fn;
        const table = tableOf(t, s.keyword);
        return `${s.keyword || 'a statement'}${table ? ` ${table}` : ''}`;
      })
      .join(', ');
    units.push(
      confirm(
        suffixId(plan, id),
        `Run ${what} on ${targetName}?${comment ? ` (${comment})` : ''}`,
        danger ? phrase(what) : null,
      ),
    );
    if (first.keyword === 'VACUUM' || /\bCONCURRENTLY\b/i.test(piece.text))
      review.push('VACUUM and CONCURRENTLY cannot run inside a transaction, and Stepwise runs each step in one');
    if (piece.statements.some((s) => s.assumed === true))
      review.push(`Stepwise does not recognise \`${first.keyword}\`: it is treated as a write`);
  }
  units.push(container('sql', id, attrs.join(' '), 'sql', converted));
  addGroup(plan, {
    after: ctx.after,
    indent: ctx.indent,
    line: piece.line,
    units,
    needs,
    what: `sql ${writes ? 'write' : 'query'} on ${targetName}`,
    review,
  });
}

/** The table a statement works on, for its confirm and id. */
function tableOf(text: string, keyword: string): string | null {
  const re: Record<string, RegExp> = {
    UPDATE: /\bUPDATE\s+(?:ONLY\s+)?([\w."]+)/i,
    DELETE: /\bDELETE\s+FROM\s+(?:ONLY\s+)?([\w."]+)/i,
    INSERT: /\bINSERT\s+INTO\s+([\w."]+)/i,
    TRUNCATE: /\bTRUNCATE\s+(?:TABLE\s+)?([\w."]+)/i,
    DROP: /\bDROP\s+\w+\s+(?:IF\s+EXISTS\s+)?([\w."]+)/i,
    ALTER: /\bALTER\s+\w+\s+(?:IF\s+EXISTS\s+)?([\w."]+)/i,
    SELECT: /\bFROM\s+([\w."]+)/i,
  };
  const m = re[keyword]?.exec(text);
  return m ? m[1]!.replaceAll('"', '') : null;
}
