/**
 * A placeholder in a shell step where no reference to its value can expand safely (inside single
 * quotes, a quoted heredoc, backticks, an `eval` or `bash -c '…'` argument, …): reported at the
 * placeholder. The runner refuses such a step too, with the same message, before anything runs.
 */
import { templateExpressions } from '../../document/template-source.js';
import { INTERPRETER_PLACEHOLDER, unsafePlaceholders } from '../../shell/script.js';
import { at, type Rule } from '../rule.js';

const RULE = 'shell-placeholder-context';

export const shellPlaceholder: Rule = ({ document }) => {
  const out = [];
  for (const step of document.steps) {
    if (step.kind !== 'shell') continue;
    let shell = 'bash';
    const shellAttr = step.attributes.shell;
    if (shellAttr?.type === 'template') {
      const expressions = templateExpressions(shellAttr.template);
      for (const expression of expressions) {
        out.push(
          at(step, document, { severity: 'error', rule: RULE, ...INTERPRETER_PLACEHOLDER, span: expression.span }),
        );
      }
      if (expressions.length > 0) continue;
      shell = shellAttr.template.source.trim() || 'bash';
    }
    const run = step.attributes.run;
    const template = step.body?.template ?? (run?.type === 'template' ? run.template : null);
    if (!template) continue;
    for (const problem of unsafePlaceholders(template, shell)) {
      out.push(
        at(step, document, {
          severity: 'error',
          rule: RULE,
          message: problem.message,
          span: problem.expression.span,
          hint: problem.hint,
        }),
      );
    }
  }
  return out;
};
