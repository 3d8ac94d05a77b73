/**
 * An include's `target` (`target=api`, or `target="db=main api=gw"`): the included runbook's
 * targets mapped to this runbook's, each problem reported at its column of the including line.
 */
import { analyzeExpression } from '../expr/analyze.js';
import { scanTemplate } from '../expr/template.js';
import { report } from './attributes.js';
import type { Frontmatter } from './frontmatter-model.js';
import { pairsOf } from './include-pairs.js';
import type { IncludeBinding } from './include-types.js';
import type { Step, Template } from './model.js';
import { closest } from './suggest.js';
import type { WalkContext } from './walk-context.js';

/** `target=api` (the included runbook's only target) or `target="db=main api=gw"`: theirs → ours. */
export function bindTargets(ctx: WalkContext, template: Template, child: Frontmatter): Record<string, string> {
  const { pairs, at } = pairsOf(ctx, template, 'target');
  const theirs = Object.keys(child.targets);
  const ours = Object.keys(ctx.frontmatter.targets);
  const out: Record<string, string> = {};
  for (const pair of pairs ?? []) {
    const nameSpan = ctx.map.span(at(pair.nameStart), at(pair.nameStart + pair.name.length));
    let from = pair.name;
    let to = pair.value;
    let toSpan = ctx.map.span(at(pair.valueStart), at(pair.valueEnd));
    if (to === undefined) {
      // The one-name form: this runbook's target, for the included runbook's only one.
      to = pair.name;
      toSpan = nameSpan;
      if (theirs.length !== 1) {
        report(
          ctx,
          'error',
          'include-target',
          theirs.length === 0
            ? `\`target=${to}\`: the included runbook declares no targets`
            : `\`target=${to}\`: the included runbook declares several targets (${theirs.join(', ')})`,
          nameSpan,
          theirs.length === 0 ? 'remove `target`' : `map each: target="${theirs.map((t) => `${t}=...`).join(' ')}"`,
        );
        continue;
      }
      from = theirs[0]!;
    } else if (!Object.hasOwn(child.targets, from)) {
      const hint = closest(from, theirs);
      report(
        ctx,
        'error',
        'include-target',
        `the included runbook declares no target \`${from}\`${hint ? `; did you mean \`${hint}\`?` : ''}`,
        nameSpan,
        theirs.length > 0 ? `its targets: ${theirs.join(', ')}` : 'it declares no targets',
      );
      continue;
    }
    const own = Object.hasOwn(ctx.frontmatter.targets, to) ? ctx.frontmatter.targets[to] : undefined;
    if (own === undefined) {
      const hint = closest(to, ours);
      report(
        ctx,
        'error',
        'include-target',
        `this runbook declares no target \`${to}\`${hint ? `; did you mean \`${hint}\`?` : ''}`,
        toSpan,
        ours.length > 0 ? `its targets: ${ours.join(', ')}` : 'declare it under `targets:` in the frontmatter',
      );
      continue;
    }
    const their = child.targets[from]!;
    if (their.kind !== own.kind) {
      report(
        ctx,
        'error',
        'include-target',
        `\`${to}\` is ${article(own.kind)} target, but the included runbook's \`${from}\` is ${article(their.kind)} one`,
        toSpan,
        `bind \`${from}\` to ${article(their.kind)} target of this runbook`,
      );
      continue;
    }
    out[from] = to;
  }
  return out;
}

/** `a postgres`, `an http`. */
function article(kind: string): string {
  return `${/^[aeiouh]/.test(kind) ? 'an' : 'a'} ${kind}`;
}

/**
 * A target the include does not map joins this runbook's, shared by the whole run: its headers
 * cannot read an input `with` binds for one include (the run would find it missing).
 */
export function reportSharedTargets(ctx: WalkContext, step: Step, binding: IncludeBinding, child: Frontmatter): void {
  const bound = new Set(binding.inputs.map((b) => b.name));
  if (bound.size === 0) return;
  for (const target of Object.values(child.targets)) {
    if (Object.hasOwn(binding.targets, target.name)) continue;
    const read = Object.values(target.headers)
      .flatMap((header) => scanTemplate(header).slots)
      .flatMap((slot) => {
        const analysis = analyzeExpression(slot.source);
        return analysis.ok ? analysis.references : [];
      })
      .find((ref) => ref.root === 'inputs' && ref.path[0] !== undefined && bound.has(ref.path[0]));
    if (read === undefined) continue;
    report(
      ctx,
      'error',
      'include-target',
      `the included runbook's target \`${target.name}\` reads \`inputs.${read.path[0]}\` in its headers, which \`with\` binds for this include only`,
      step.span,
      `map \`${target.name}\` to a target of this runbook (target=...), or leave \`${read.path[0]}\` unbound`,
    );
  }
}
