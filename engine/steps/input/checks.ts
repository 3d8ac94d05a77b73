/**
 * `input-pattern`: an `::input` step's `pattern` runs on RE2, as the frontmatter's input patterns
 * do (engine/redact/linear-regex.ts): one it cannot express (a backreference, a lookaround) or
 * that does not compile is an error at the attribute, so a run refuses it before anything runs.
 * A pattern built from placeholders is known only at run time, where the step fails the same way.
 */
import { linearPatternProblem } from '../../redact/linear-regex.js';
import { stepRule } from '../../check/rule.js';

export const inputPattern = stepRule('input', {
  name: 'input-pattern',
  reports: ['input-invalid'],
  *check(step) {
    const pattern = step.attributes.pattern;
    if (pattern?.type !== 'template') return;
    const parts = pattern.template.parts;
    if (parts.some((p) => p.type !== 'text')) return;
    const problem = linearPatternProblem(parts.map((p) => (p.type === 'text' ? p.text : '')).join(''));
    if (problem === undefined) return;
    yield { rule: 'input-invalid', message: `input \`${step.id}\`: pattern ${problem}`, span: pattern.template.span };
  },
});

export const inputChecks = [inputPattern];
