/**
 * What a sql step holds, as the database will see it:
 * - a statement Stepwise does not recognise (a typo like `SELEC 1`, or a command it has no
 *   keyword for) is taken to write, so it needs a confirm: a warning naming its first word, at the
 *   statement, unless `readonly` says what it does;
 * - more than one statement without `script=true` is an error at the second statement: the
 *   database runs one statement per query, and would refuse it only when the run reaches it.
 * The runner says the same when it meets either (engine/sql/classify.ts holds the wording).
 */
import type { Diagnostic } from '../../document/diagnostic.js';
import type { Point, Span } from '../../document/position.js';
import type { Step, Template } from '../../document/model.js';
import { scanTemplate } from '../../expr/template.js';
import {
  classifySql,
  lineColumn,
  severalStatementsMessage,
  statementHead,
  unrecognisedStatement,
} from '../../sql/classify.js';
import { at, type Rule } from '../rule.js';

export const sqlStatements: Rule = ({ document }) => {
  const out: Diagnostic[] = [];
  for (const step of document.steps) {
    if (step.kind !== 'sql') continue;
    const template = sqlTemplate(step);
    if (template === null) continue;
    const text = template.source;
    const { statements } = classifySql(text, scanTemplate(text).slots);
    const script = step.attributes.script;
    if (statements.length > 1 && !(script?.type === 'boolean' && script.value)) {
      const second = statements[1]!;
      const span = spanIn(template, second.start, second.end);
      const { message, hint } = severalStatementsMessage(
        statements.length,
        statementHead(text, second),
        `line ${span.start.line}, column ${span.start.column}`,
      );
      out.push(at(step, document, { severity: 'error', rule: 'sql-several-statements', message, span, hint }));
    }
    if (step.attributes.readonly !== undefined) continue; // the author said whether it writes
    for (const statement of statements) {
      if (statement.assumed !== true) continue;
      out.push(
        at(step, document, {
          severity: 'warning',
          rule: 'sql-unknown-statement',
          message: unrecognisedStatement(statement),
          span: spanIn(template, statement.start, statement.end),
          hint: statement.keyword
            ? `check the spelling of \`${statement.keyword}\`; if the statement only reads, add readonly=true (it then runs in a read-only transaction, which the database enforces); if it writes, put a ::confirm above it`
            : 'if the statement only reads, add readonly=true; if it writes, put a ::confirm above it',
        }),
      );
    }
  }
  return out;
};

function sqlTemplate(step: Step): Template | null {
  if (step.body) return step.body.template;
  const query = step.attributes.query;
  return query?.type === 'template' ? query.template : null;
}

/**
 * Where text[start, end) of a template stands in the file. A fenced body keeps its lines (remark
 * strips the fence's indentation from each, which is the first line's column); a quoted attribute
 * value is one line, read as written.
 */
function spanIn(template: Template, start: number, end: number): Span {
  const point = (offset: number): Point => {
    const { line, column } = lineColumn(template.source, offset);
    return {
      line: template.span.start.line + line - 1,
      column: template.span.start.column + column - 1,
      offset: template.span.start.offset + offset,
    };
  };
  return { start: point(start), end: point(end) };
}
