/**
 * An `::input` step's `pattern` runs on RE2, as the frontmatter's input patterns do
 * (engine/redact/linear-regex.ts): one it cannot express (a backreference, a lookaround) or that
 * does not compile is an error at the attribute, so a run refuses it before anything runs. A
 * pattern built from placeholders is known only at run time, where the step fails the same way.
 */
import { linearPatternProblem } from '../../redact/linear-regex.js';
import { at, type Rule } from '../rule.js';

export const inputPattern: Rule = ({ document }) => {
  const out = [];
  for (const step of document.steps) {
    const pattern = step.attributes.pattern;
    if (step.kind !== 'input' || pattern?.type !== 'template') continue;
    const parts = pattern.template.parts;
    if (parts.some((p) => p.type !== 'text')) continue;
    const problem = linearPatternProblem(parts.map((p) => (p.type === 'text' ? p.text : '')).join(''));
    if (problem === undefined) continue;
    out.push(
      at(step, document, {
        severity: 'error',
        rule: 'input-invalid',
        message: `input \`${step.id}\`: pattern ${problem}`,
        span: pattern.template.span,
      }),
    );
  }
  return out;
};
