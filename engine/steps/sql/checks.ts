/**
 * What `check` says about a sql step, as the database will see it (engine/sql/classify.ts reads
 * the statements, and holds the wording the runner uses for the same problems):
 * - `sql-statements`: a statement Stepwise does not recognise (a typo like `SELEC 1`, or a command
 *   it has no keyword for) is taken to write, so it needs a confirm: a warning naming its first
 *   word, at the statement, unless `readonly` says what it does; more than one statement without
 *   `script=true` is an error at the second one: the database runs one statement per query, and
 *   would refuse it only when the run reaches it.
 * - `transaction-control`: BEGIN/COMMIT/ROLLBACK: the step is its own transaction already; a
 *   COMMIT would end it early.
 * - `placeholder-in-quotes`: a placeholder inside a SQL string literal, a quoted identifier or a
 *   comment is not a bind parameter: in a string it would be sent as literal text (or, worse,
 *   tempt an author to splice values into SQL), in a comment it is never sent at all.
 * - `readonly-write`: `readonly=true` on a statement that certainly writes: the database would
 *   refuse it in the read-only transaction, or, worse, the author believes it changes nothing. A
 *   statement Stepwise does not recognise (assumed to write) may be declared read-only.
 */
import type { Point, Span } from '../../document/position.js';
import type { Step, Template } from '../../document/model.js';
import { templateExpressions } from '../../document/template-source.js';
import { scanTemplate } from '../../expr/template.js';
import {
  classifySql,
  enclosedPlaceholders,
  lineColumn,
  severalStatementsMessage,
  statementHead,
  transactionControl as findTransactionControl,
  unrecognisedStatement,
} from '../../sql/classify.js';
import { stepRule } from '../../check/rule.js';
import { sqlText } from './sql-text.js';

export const sqlStatements = stepRule('sql', {
  name: 'sql-statements',
  reports: ['sql-several-statements', 'sql-unknown-statement'],
  *check(step) {
    const template = sqlTemplate(step);
    if (template === null) return;
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
      yield { rule: 'sql-several-statements', message, span, hint };
    }
    if (step.attributes.readonly !== undefined) return; // the author said whether it writes
    for (const statement of statements) {
      if (statement.assumed !== true) continue;
      yield {
        rule: 'sql-unknown-statement',
        message: unrecognisedStatement(statement),
        span: spanIn(template, statement.start, statement.end),
        hint: statement.keyword
          ? `check the spelling of \`${statement.keyword}\`; if the statement only reads, add readonly=true (it then runs in a read-only transaction, which the database enforces); if it writes, put a ::confirm above it`
          : 'if the statement only reads, add readonly=true; if it writes, put a ::confirm above it',
      };
    }
  },
});

export const transactionControl = stepRule('sql', {
  name: 'transaction-control',
  reports: ['transaction-control'],
  *check(step) {
    const text = sqlText(step);
    if (text === null) return;
    for (const statement of findTransactionControl(text, scanTemplate(text).slots)) {
      yield {
        rule: 'transaction-control',
        message: `\`${statement.phrase}\` in a sql step: each sql step already runs in a transaction of its own (read-only when it only reads), and ${statement.phrase} would end it, so the statements after it would run outside it`,
        span: step.span,
        hint: 'remove it; to make several statements all-or-nothing, put them in one step with script=true (SAVEPOINT and ROLLBACK TO are fine)',
      };
    }
  },
});

const WHERE = {
  string: 'inside a quoted SQL string',
  'quoted-ident': 'inside a quoted SQL identifier',
  comment: 'inside a SQL comment',
} as const;

export const placeholderInQuotes = stepRule('sql', {
  name: 'placeholder-in-quotes',
  reports: ['placeholder-in-quotes'],
  *check(step) {
    const text = sqlText(step);
    if (text === null || !text.includes('{{')) return;
    const slots = scanTemplate(text).slots;
    if (slots.length === 0) return;
    const template = sqlTemplate(step);
    const expressions = template ? templateExpressions(template) : [];
    for (const { index, within } of enclosedPlaceholders(text, slots)) {
      const slot = slots[index]!;
      yield {
        rule: 'placeholder-in-quotes',
        message: `\`{{ ${slot.source} }}\` is ${WHERE[within]}, so it is ${within === 'comment' ? 'never sent' : 'sent as literal text'}, not as a value`,
        span: expressions[index]?.span ?? step.span,
        hint:
          within === 'comment'
            ? 'move it out of the comment, or write \\{{ for literal braces'
            : "remove the quotes: a placeholder becomes a bind parameter ($1), already typed as a value; for LIKE patterns use '%' || {{ x }} || '%'",
      };
    }
  },
});

export const readonlyWrite = stepRule('sql', {
  name: 'readonly-write',
  reports: ['readonly-write'],
  *check(step) {
    const readonly = step.attributes.readonly;
    if (readonly?.type !== 'boolean' || !readonly.value) return;
    const text = sqlText(step);
    if (text === null) return;
    const writing = classifySql(text, scanTemplate(text).slots).statements.find((s) => s.writes && s.assumed !== true);
    if (writing === undefined) return;
    yield {
      rule: 'readonly-write',
      message: `\`${step.id}\` is marked readonly=true, but its statement writes (${writing.reason}); it would fail in its read-only transaction`,
      span: readonly.span,
      hint: 'remove readonly=true and put a ::confirm above the step: a write needs a confirm that guards it',
    };
  },
});

export const sqlChecks = [placeholderInQuotes, transactionControl, readonlyWrite, sqlStatements];

/** The statement's template: the fenced body, or the leaf form's `query`. */
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
