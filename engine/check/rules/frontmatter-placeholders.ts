/**
 * Placeholders in target definitions (`Authorization: "Bearer {{ secrets.KEY }}"`) may use only
 * inputs, secrets and env names, and those must be declared.
 */
import type { Diagnostic } from '../../document/diagnostic.js';
import type { TargetDecl } from '../../document/frontmatter-model.js';
import { analyzeExpression } from '../../expr/analyze.js';
import { scanTemplate } from '../../expr/template.js';
import type { Rule } from '../rule.js';

export const frontmatterPlaceholders: Rule = ({ document }) => {
  const out: Diagnostic[] = [];
  const fm = document.frontmatter;
  const declared: Record<string, Record<string, unknown>> = { inputs: fm.inputs, secrets: fm.secrets, env: fm.env };
  for (const target of Object.values(fm.targets)) {
    for (const text of targetTexts(target)) {
      const scan = scanTemplate(text);
      const problems: string[] = scan.errors.map((e) => e.message);
      for (const slot of scan.slots) {
        const analysis = analyzeExpression(slot.source);
        if (!analysis.ok) problems.push(`\`${slot.source}\`: ${analysis.message}`);
        else
          for (const ref of analysis.references) {
            const names = declared[ref.root];
            if (names === undefined)
              problems.push(`\`${ref.root}\` cannot be used in a target; only inputs, secrets and env`);
            else if (ref.path[0] !== undefined && names[ref.path[0]] === undefined) {
              problems.push(
                ref.root === 'secrets'
                  ? `secret \`${ref.path[0]}\` is not declared`
                  : `\`${ref.root}.${ref.path[0]}\` is not declared`,
              );
            }
          }
      }
      for (const problem of problems) {
        out.push({
          severity: 'error',
          rule: problem.includes('secret') && problem.includes('not declared') ? 'undeclared-secret' : 'target-invalid',
          message: `target \`${target.name}\`: ${problem}`,
          span: target.span,
          hint: 'declare the name in the frontmatter (secrets:, inputs:, env:)',
        });
      }
    }
  }
  return out;
};

function targetTexts(target: TargetDecl): string[] {
  return [target.location, ...Object.values(target.headers)];
}
