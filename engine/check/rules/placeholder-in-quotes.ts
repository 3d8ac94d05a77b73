/** `'{{ x }}'` in SQL is literal text, not a bind parameter: almost always a mistake. */
import { scanTemplate } from '../../expr/template.js';
import { sqlText } from '../../steps/sql-text.js';
import { placeholdersInStrings } from '../../sql/classify.js';
import { templateExpressions } from '../../document/template-source.js';
import { at, type Rule } from '../rule.js';

export const placeholderInQuotes: Rule = ({ document }) => {
  const out = [];
  for (const step of document.steps) {
    if (step.kind !== 'sql') continue;
    const text = sqlText(step);
    if (text === null || !text.includes('{{')) continue;
    const slots = scanTemplate(text).slots;
    const template = step.body?.template ?? (step.attributes.query?.type === 'template' ? step.attributes.query.template : null);
    const expressions = template ? templateExpressions(template) : [];
    for (const index of placeholdersInStrings(text, slots)) {
      const expression = expressions[index];
      out.push(at(step, document, {
        severity: 'warning',
        rule: 'placeholder-in-quotes',
        message: `\`{{ ${slots[index]!.source} }}\` is inside a quoted SQL string, so it is sent as literal text, not as a value`,
        span: expression?.span ?? step.span,
        hint: "remove the quotes: a placeholder becomes a bind parameter ($1), already typed as a value; for LIKE patterns use '%' || {{ x }} || '%'",
      }));
    }
  }
  return out;
};
