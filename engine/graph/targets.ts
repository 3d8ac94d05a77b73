/** Which target each step runs against: its `target`, or the runbook's only target of a fitting kind. */
import { report } from '../document/attributes.js';
import type { Diagnostic } from '../document/diagnostic.js';
import type { Frontmatter } from '../document/frontmatter-model.js';
import type { Step } from '../document/model.js';
import { closest } from '../document/suggest.js';
import { stepSpec } from '../steps/registry.js';
import { isTargetKind, kindsWith, targetKind } from '../targets/registry.js';

export function resolveTarget(
  step: Step,
  frontmatter: Frontmatter,
  diagnostics: Diagnostic[],
  mainFile: string,
): string | null {
  const spec = stepSpec(step.kind);
  const needs = spec.target;
  if (!needs) return null;
  const here = { diagnostics, ...(step.file !== mainFile ? { file: step.file } : {}) };
  const fits = (kind: string): boolean => isTargetKind(kind) && targetKind(kind).capability === needs;
  const kinds = kindsWith(needs).join(' or ');
  const fitting = Object.values(frontmatter.targets).filter((t) => fits(t.kind));
  const attr = step.attributes.target;
  if (attr?.type === 'target') {
    const target = frontmatter.targets[attr.name];
    if (target === undefined) {
      const hint = closest(attr.name, Object.keys(frontmatter.targets));
      const known = Object.keys(frontmatter.targets);
      report(
        here,
        'error',
        'unknown-target',
        `unknown target \`${attr.name}\`${hint ? `; did you mean \`${hint}\`?` : ''}`,
        attr.span,
        known.length ? `targets: ${known.join(', ')}` : 'declare it under `targets:` in the frontmatter',
      );
      return null;
    }
    if (!fits(target.kind)) {
      report(
        here,
        'error',
        'target-kind',
        `\`${step.kind}\` cannot run against \`${attr.name}\`, a ${target.kind} target`,
        attr.span,
        `${step.kind} needs a ${kinds} target`,
      );
      return null;
    }
    return attr.name;
  }
  if (spec.needsNoTarget?.(step) === true) return null;
  if (fitting.length === 1) return fitting[0]!.name;
  const message =
    fitting.length === 0
      ? `\`${step.kind}\` step has no target, and the runbook declares no ${kinds} target`
      : `\`${step.kind}\` step has no target, and the runbook declares several (${fitting.map((t) => t.name).join(', ')})`;
  report(
    here,
    'error',
    'missing-target',
    message,
    step.span,
    fitting.length === 0
      ? 'declare one under `targets:` in the frontmatter and name it with target=...'
      : 'name one with target=...',
  );
  return null;
}
