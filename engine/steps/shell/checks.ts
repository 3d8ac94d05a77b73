/**
 * `shell-placeholder`: a placeholder in a shell step where no reference to its value can expand
 * safely (inside single quotes, a quoted heredoc, backticks, an `eval` or `bash -c '…'`
 * argument, …), or in `shell=`: reported at the placeholder. The runner refuses such a step
 * too, with the same message, before anything runs (engine/shell/script.ts holds the wording).
 */
import { templateExpressions } from '../../document/template-source.js';
import { INTERPRETER_PLACEHOLDER, unsafePlaceholders } from '../../shell/script.js';
import { stepRule } from '../../check/rule.js';

export const shellPlaceholder = stepRule('shell', {
  name: 'shell-placeholder',
  reports: ['shell-placeholder-context'],
  *check(step) {
    let shell = 'bash';
    const shellAttr = step.attributes.shell;
    if (shellAttr?.type === 'template') {
      const expressions = templateExpressions(shellAttr.template);
      for (const expression of expressions)
        yield { rule: 'shell-placeholder-context', ...INTERPRETER_PLACEHOLDER, span: expression.span };
      if (expressions.length > 0) return;
      shell = shellAttr.template.source.trim() || 'bash';
    }
    const run = step.attributes.run;
    const template = step.body?.template ?? (run?.type === 'template' ? run.template : null);
    if (!template) return;
    for (const problem of unsafePlaceholders(template, shell)) {
      yield {
        rule: 'shell-placeholder-context',
        message: problem.message,
        span: problem.expression.span,
        hint: problem.hint,
      };
    }
  },
});

export const shellChecks = [shellPlaceholder];
