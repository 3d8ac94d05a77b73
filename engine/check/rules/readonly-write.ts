/**
 * `readonly=true` on a sql step whose statement certainly writes: the database would refuse it in
 * the read-only transaction at run time, or, worse, the author believes it changes nothing. A
 * statement Stepwise does not recognise (assumed to write) may be declared read-only.
 */
import { scanTemplate } from '../../expr/template.js';
import { classifySql } from '../../sql/classify.js';
import { sqlText } from '../../steps/sql-text.js';
import { at, type Rule } from '../rule.js';

export const readonlyWrite: Rule = ({ document }) => {
  const out = [];
  for (const step of document.steps) {
    const readonly = step.attributes.readonly;
    if (step.kind !== 'sql' || readonly?.type !== 'boolean' || !readonly.value) continue;
    const text = sqlText(step);
    if (text === null) continue;
    const writing = classifySql(text, scanTemplate(text).slots).statements.find((s) => s.writes && s.assumed !== true);
    if (writing === undefined) continue;
    out.push(
      at(step, document, {
        severity: 'error',
        rule: 'readonly-write',
        message: `\`${step.id}\` is marked readonly=true, but its statement writes (${writing.reason}); it would fail in its read-only transaction`,
        span: readonly.span,
        hint: 'remove readonly=true and put a ::confirm above the step: a write needs a confirm that guards it',
      }),
    );
  }
  return out;
};
