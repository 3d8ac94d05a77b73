/** BEGIN/COMMIT/ROLLBACK in a sql step: the step is its own transaction already; a COMMIT would end it early. */
import { scanTemplate } from '../../expr/template.js';
import { sqlText } from '../../steps/sql-text.js';
import { transactionControl as find } from '../../sql/classify.js';
import { at, type Rule } from '../rule.js';

export const transactionControl: Rule = ({ document }) => {
  const out = [];
  for (const step of document.steps) {
    if (step.kind !== 'sql') continue;
    const text = sqlText(step);
    if (text === null) continue;
    for (const statement of find(text, scanTemplate(text).slots)) {
      out.push(
        at(step, document, {
          severity: 'error',
          rule: 'transaction-control',
          message: `\`${statement.phrase}\` in a sql step: each sql step already runs in a transaction of its own (read-only when it only reads), and ${statement.phrase} would end it, so the statements after it would run outside it`,
          span: step.span,
          hint: 'remove it; to make several statements all-or-nothing, put them in one step with script=true (SAVEPOINT and ROLLBACK TO are fine)',
        }),
      );
    }
  }
  return out;
};
