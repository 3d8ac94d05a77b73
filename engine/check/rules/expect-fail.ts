/**
 * `expect=fail` where it cannot mean anything (runbooks/README.md, "Soft assertions and expected
 * failures"): on a gate (a confirm or an input is answered, it does not fail: "no" is a decline),
 * on an include (it never runs: its steps do, and each can say `expect=fail` itself), and on a
 * `severity=warn` assertion (a soft assertion never fails, so it could only fail as "passed").
 */
import { stepSpec } from '../../steps/registry.js';
import { defineRule } from '../rule.js';

export const expectFail = defineRule({
  name: 'expect-fail',
  reports: ['expect-fail-invalid'],
  *check({ document }) {
    for (const step of document.steps) {
      if (step.expect !== 'fail') continue;
      const attr = step.raw.find((a) => a.name === 'expect');
      const span = attr?.valueSpan ?? step.span;
      const spec = stepSpec(step.kind);
      const severity = step.attributes.severity;
      if (spec.gate)
        yield {
          rule: 'expect-fail-invalid',
          message: `\`expect=fail\` on the ${step.kind} \`${step.id}\`: a gate is answered, it does not fail`,
          span,
          hint:
            step.kind === 'confirm'
              ? 'remove it; to let "no" skip the guarded steps and go on, write on-decline=skip'
              : 'remove it; check the answer with an ::assert after the input',
          step,
        };
      else if (spec.inlines)
        yield {
          rule: 'expect-fail-invalid',
          message: `\`expect=fail\` on the include \`${step.id}\`: an include never runs, its steps do`,
          span,
          hint: 'put expect=fail on the included step that is supposed to fail',
          step,
        };
      else if (severity?.type === 'enum' && severity.value === 'warn')
        yield {
          rule: 'expect-fail-invalid',
          message: `\`expect=fail\` on the soft assertion \`${step.id}\`: with severity=warn it never fails`,
          span,
          hint: 'to require that it does not hold, write that="!(...)"; or drop severity=warn',
          step,
        };
    }
  },
});
