/** Which target each step runs against: its `target`, or the runbook's only target of a fitting kind. */
import { report } from '../document/attributes.js';
import type { Diagnostic } from '../document/diagnostic.js';
import type { Frontmatter } from '../document/frontmatter-model.js';
import type { Step } from '../document/model.js';
import { closest } from '../document/suggest.js';
import { stepSpec } from '../steps/registry.js';

export function resolveTarget(step: Step, frontmatter: Frontmatter, diagnostics: Diagnostic[], mainFile: string): string | null {
  const spec = stepSpec(step.kind);
  if (!spec.targets) return null;
  const here = { diagnostics, ...(step.file !== mainFile ? { file: step.file } : {}) };
  const fitting = Object.values(frontmatter.targets).filter((t) => spec.targets!.includes(t.kind));
  const attr = step.attributes.target;
  if (attr?.type === 'target') {
    const target = frontmatter.targets[attr.name];
    if (target === undefined) {
      const hint = closest(attr.name, Object.keys(frontmatter.targets));
      const known = Object.keys(frontmatter.targets);
      report(here, 'error', 'unknown-target', `unknown target \`${attr.name}\`${hint ? `; did you mean \`${hint}\`?` : ''}`, attr.span, known.length ? `targets: ${known.join(', ')}` : 'declare it under `targets:` in the frontmatter');
      return null;
    }
    if (!spec.targets.includes(target.kind)) {
      report(here, 'error', 'target-kind', `\`${step.kind}\` cannot run against \`${attr.name}\`, a ${target.kind} target`, attr.span, `${step.kind} needs a ${spec.targets.join(' or ')} target`);
      return null;
    }
    return attr.name;
  }
  if (step.kind === 'http' && usesAbsoluteUrl(step)) return null;
  if (fitting.length === 1) return fitting[0]!.name;
  const message = fitting.length === 0
    ? `\`${step.kind}\` step has no target, and the runbook declares no ${spec.targets.join(' or ')} target`
    : `\`${step.kind}\` step has no target, and the runbook declares several (${fitting.map((t) => t.name).join(', ')})`;
  report(here, 'error', 'missing-target', message, step.span, fitting.length === 0 ? 'declare one under `targets:` in the frontmatter and name it with target=...' : 'name one with target=...');
  return null;
}

function usesAbsoluteUrl(step: Step): boolean {
  if (step.attributes.url !== undefined) return true;
  const first = step.body?.template.source.trimStart().split('\n', 1)[0] ?? '';
  return /^\s*(?:[A-Z]+\s+)?(?:https?:\/\/|\{\{)/i.test(first);
}
