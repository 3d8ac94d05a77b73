/**
 * Placeholders in target definitions (`Authorization: "Bearer {{ secrets.KEY }}"`) may use only
 * inputs, secrets and env names, and those must be declared: an undeclared secret is
 * `undeclared-secret`, as it is in a step; anything else a target cannot use is `target-invalid`.
 * A profile's target overrides (`profiles:`) are held to the same.
 */
import type { TargetDecl } from '../../document/frontmatter-model.js';
import { analyzeExpression } from '../../expr/analyze.js';
import { scanTemplate } from '../../expr/template.js';
import { defineRule } from '../rule.js';

export const frontmatterPlaceholders = defineRule({
  name: 'frontmatter-placeholders',
  reports: ['target-invalid', 'undeclared-secret'],
  *check({ document }) {
    const fm = document.frontmatter;
    const declared: Record<string, Record<string, unknown>> = { inputs: fm.inputs, secrets: fm.secrets, env: fm.env };
    const targets = [
      ...Object.values(fm.targets).map((t) => ({ ...t, what: `target \`${t.name}\`` })),
      ...Object.values(fm.profiles ?? {}).flatMap((p) =>
        Object.values(p.targets).map((t) => ({
          name: t.name,
          span: t.span,
          location: t.location ?? '',
          headers: t.headers ?? {},
          what: `profile \`${p.name}\`: target \`${t.name}\``,
        })),
      ),
    ];
    for (const target of targets) {
      for (const text of targetTexts(target)) {
        const scan = scanTemplate(text);
        const problems: { rule: 'target-invalid' | 'undeclared-secret'; text: string }[] = scan.errors.map((e) => ({
          rule: 'target-invalid',
          text: e.message,
        }));
        for (const slot of scan.slots) {
          const analysis = analyzeExpression(slot.source);
          if (!analysis.ok) problems.push({ rule: 'target-invalid', text: `\`${slot.source}\`: ${analysis.message}` });
          else
            for (const ref of analysis.references) {
              const names = declared[ref.root];
              if (names === undefined)
                problems.push({
                  rule: 'target-invalid',
                  text: `\`${ref.root}\` cannot be used in a target; only inputs, secrets and env`,
                });
              else if (ref.path[0] !== undefined && names[ref.path[0]] === undefined)
                problems.push(
                  ref.root === 'secrets'
                    ? { rule: 'undeclared-secret', text: `secret \`${ref.path[0]}\` is not declared` }
                    : { rule: 'target-invalid', text: `\`${ref.root}.${ref.path[0]}\` is not declared` },
                );
            }
        }
        for (const problem of problems) {
          yield {
            rule: problem.rule,
            message: `${target.what}: ${problem.text}`,
            span: target.span,
            hint: 'declare the name in the frontmatter (secrets:, inputs:, env:)',
          };
        }
      }
    }
  },
});

function targetTexts(target: Pick<TargetDecl, 'location' | 'headers'>): string[] {
  return [target.location, ...Object.values(target.headers)];
}
