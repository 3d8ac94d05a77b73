/**
 * SQL: the first rows as an aligned table with the total count (and the digest of all rows when
 * not all are shown), a write's command tag (`UPDATE 3`); a plan's statements, each followed by its
 * bind values, listed apart from the text that ran.
 */
import { displayWidth } from '../width.js';
import { classifySql } from '../../engine/sql/classify.js';
import { lexSql } from '../../engine/sql/lexer.js';
import { cutToWidth, formatTable } from '../table.js';
import { clean } from '../clean.js';
import {
  asNumber,
  asString,
  dim,
  escapeControls,
  head,
  isRecord,
  literal,
  plural,
  shortDigest,
  styled,
  textLines,
  type DescribeContext,
  type Line,
  type ResultDescriber,
} from './describer.js';

/** Commands whose row count is rows changed, not rows returned. */
const WRITES = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'REPLACE', 'UPSERT', 'COPY']);

export const sql = {
  summary(r) {
    return `${r.command ?? ''} ${r.rowCount ?? 0} row${r.rowCount === 1 ? '' : 's'}${r.truncated ? ` (kept ${(r.rows as unknown[]).length})` : ''}`.trim();
  },
  result(result, context) {
    // A script result that carries each statement's own result.
    if (Array.isArray(result.statements) && result.statements.length > 0) {
      return result.statements.flatMap((statement, i) => [
        dim(`statement ${i + 1}:`),
        ...(isRecord(statement)
          ? sqlResult(statement, { ...context, rows: Math.min(context.rows, 5), width: context.width - 2 })
          : [String(statement)]
        ).map((l) => indentLine(l, '  ')),
      ]);
    }
    return sqlResult(result, context);
  },
  plan(plan, context) {
    const text = plan.text ?? plan.summary;
    const params = plan.params ?? [];
    const script = /^script of \d+ statements? on /.test(plan.summary) && params.every(Array.isArray);
    if (!script) return statementLines(text, params, context);
    const statements = classifySql(text).statements;
    if (statements.length !== params.length) {
      // Cannot pair them up: the whole script, then each statement's values.
      return [
        ...head(textLines(text), context.planLines),
        ...params.flatMap((p, i) => bindLines(text, p as unknown[], context, `statement ${i + 1}, `)),
      ];
    }
    return statements.flatMap((s, i) => {
      const stop = text.indexOf(';', s.end);
      return statementLines(text.slice(s.start, stop >= 0 ? stop + 1 : s.end), params[i] as unknown[], context);
    });
  },
} satisfies ResultDescriber;

function sqlResult(result: Record<string, unknown>, context: DescribeContext): Line[] {
  const rows = Array.isArray(result.rows) ? result.rows.filter(isRecord) : [];
  const fields = Array.isArray(result.fields)
    ? result.fields.map((f) => (isRecord(f) ? String(f.name ?? '') : String(f)))
    : [];
  const columns = fields.length > 0 ? fields : rows[0] ? Object.keys(rows[0]) : [];
  const rowCount = asNumber(result.rowCount) ?? rows.length;
  const command = (asString(result.command) ?? '').toUpperCase();
  const writes = WRITES.has(command);
  const count = writes ? `${command} ${rowCount}` : plural(rowCount, 'row');
  if (columns.length === 0) return [writes || command === '' ? count : `${command} ${rowCount}`];

  const shown = rows.slice(0, context.rows);
  const header = columns.map((c) => cutToWidth(cellText(c), context.cell));
  const body = shown.map((row) => columns.map((c) => cutToWidth(cellText(row[c]), context.cell)));
  const right = new Set(
    columns
      .map((c, i) =>
        shown.some((r) => typeof r[c] === 'number') &&
        shown.every((r) => typeof r[c] === 'number' || r[c] === null || r[c] === undefined)
          ? i
          : -1,
      )
      .filter((i) => i >= 0),
  );
  // Drop columns from the right until the table fits; say how many were left out.
  let keep = columns.length;
  let table = formatTable(header, body, { rule: true, right });
  const widest = (text: string): number => textLines(text).reduce((w, l) => Math.max(w, displayWidth(l)), 0);
  while (keep > 1 && widest(table) > context.width) {
    keep--;
    table = formatTable(
      header.slice(0, keep),
      body.map((r) => r.slice(0, keep)),
      { rule: true, right },
    );
  }
  const lines: Line[] = textLines(table).map((l, i) => (i === 0 ? styled('1', l) : i === 1 ? dim(l) : l));
  const notes = [
    rows.length === 0 && rowCount === 0 ? count : shown.length < rowCount ? `${count}, showing ${shown.length}` : count,
  ];
  if (result.truncated === true && rows.length > shown.length) notes[0] += ` (the transcript keeps ${rows.length})`;
  if (keep < columns.length) notes.push(`${plural(columns.length - keep, 'more column')} not shown`);
  if (shown.length < rowCount && shortDigest(result.sha256)) notes.push(shortDigest(result.sha256));
  lines.push(dim(notes.join('; ')));
  return lines;
}

/** A cell as one line of inert text: NULL for null, control characters as escapes, JSON for objects. */
function cellText(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : String(value);
  return clean(escapeControls(text), 100_000);
}

/** A statement as it ran (placeholders kept), then its bind values, marked as values. */
function statementLines(text: string, params: unknown[], context: DescribeContext): Line[] {
  return [...head(textLines(text.replace(/^\s*\n/, '')), context.planLines), ...bindLines(text, params, context)];
}

function bindLines(text: string, params: unknown[], _context: DescribeContext, prefix = ''): Line[] {
  if (params.length === 0) return [];
  const marks = lexSql(text)
    .filter((t) => t.type === 'param')
    .map((t) => t.text);
  const numbered = marks.some((m) => m.startsWith('$'));
  const anonymous = !numbered && marks.some((m) => m === '?');
  const title = anonymous
    ? `${prefix}bind values, not part of the SQL text (one per ?, in order):`
    : `${prefix}bind values, not part of the SQL text:`;
  return [
    dim(title),
    ...params.map((value, i) => styled('36', `  ${anonymous ? '?' : '$'}${i + 1} = ${literal(value)}`)),
  ];
}

function indentLine(line: Line, indent: string): Line {
  return typeof line === 'string' ? indent + line : { ...line, text: indent + line.text };
}
