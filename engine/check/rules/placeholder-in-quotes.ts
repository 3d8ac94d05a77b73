/**
 * A placeholder inside a SQL string literal, a quoted identifier or a comment is not a bind
 * parameter: in a string it would be sent as literal text (or, worse, tempt an author to splice
 * values into SQL), in a comment it is never sent at all. Either is an error: SQL takes values
 * only as bind parameters.
 */
import { scanTemplate } from '../../expr/template.js';
import { enclosedPlaceholders } from '../../sql/classify.js';
import { sqlText } from '../../steps/sql-text.js';
import { templateExpressions } from '../../document/template-source.js';
import type { Diagnostic } from '../../document/diagnostic.js';
import { at, type Rule } from '../rule.js';

const WHERE = {
  string: 'inside a quoted SQL string',
  'quoted-ident': 'inside a quoted SQL identifier',
  comment: 'inside a SQL comment',
} as const;

export const placeholderInQuotes: Rule = ({ document }) => {
  const out: Diagnostic[] = [];
  for (const step of document.steps) {
    if (step.kind !== 'sql') continue;
    const text = sqlText(step);
    if (text === null || !text.includes('{{')) continue;
    const slots = scanTemplate(text).slots;
    if (slots.length === 0) continue;
    const template =
      step.body?.template ?? (step.attributes.query?.type === 'template' ? step.attributes.query.template : null);
    const expressions = template ? templateExpressions(template) : [];
    for (const { index, within } of enclosedPlaceholders(text, slots)) {
      const slot = slots[index]!;
      const where = WHERE[within];
      const expression = expressions[index];
      out.push(
        at(step, document, {
          severity: 'error',
          rule: 'placeholder-in-quotes',
          message: `\`{{ ${slot.source} }}\` is ${where}, so it is ${within === 'comment' ? 'never sent' : 'sent as literal text'}, not as a value`,
          span: expression?.span ?? step.span,
          hint:
            within === 'comment'
              ? 'move it out of the comment, or write \\{{ for literal braces'
              : "remove the quotes: a placeholder becomes a bind parameter ($1), already typed as a value; for LIKE patterns use '%' || {{ x }} || '%'",
        }),
      );
    }
  }
  return out;
};
