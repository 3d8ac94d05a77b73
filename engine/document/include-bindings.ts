/**
 * A parameterised include's `with` and `target` (runbooks/README.md, "Including another
 * runbook"), read and checked against both runbooks' frontmatter. Every problem is reported at
 * the including line, at the column of the name or value it concerns: an input the included
 * runbook does not declare (with a did-you-mean), a literal of the wrong type, a required input
 * left unbound; and, in include-targets.ts, a target either runbook does not declare, targets of
 * different kinds.
 */
import { analyzeExpression, JS_GLOBALS } from '../expr/analyze.js';
import { inputValue } from './input-value.js';
import { report } from './attributes.js';
import type { Diagnostic } from './diagnostic.js';
import type { Frontmatter, InputDecl } from './frontmatter-model.js';
import type { WalkContext } from './walk-context.js';
import type { BoundInput, IncludeBinding } from './include-types.js';
import type { Step, Template } from './model.js';
import { pairsOf } from './include-pairs.js';
import { bindTargets, reportSharedTargets } from './include-targets.js';
import type { Span } from './position.js';
import { closest } from './suggest.js';
import { makeTemplate, shifted } from './template-source.js';

/** What `with` values may read: they are bound when the run starts, before any step has run. */
const RUN_WIDE = new Set(['inputs', 'secrets', 'env', 'run']);

/** The include's bindings, or null when it has neither `with` nor `target` (a plain include). */
export function bindInclude(ctx: WalkContext, step: Step, scope: string, child: Frontmatter): IncludeBinding | null {
  const withAttr = step.attributes.with;
  const targetAttr = step.attributes.target;
  if (withAttr?.type !== 'template' && targetAttr?.type !== 'template') return null;
  // Its frontmatter could not be read: its YAML error is the one problem, not every name bound here.
  if ((child.unreadable?.length ?? 0) > 0) return null;
  const binding: IncludeBinding = { scope, src: sourceOf(step), inputs: [], targets: {} };
  if (withAttr?.type === 'template') {
    const { inputs, named } = bindInputs(ctx, withAttr.template, child);
    binding.inputs = inputs;
    // A name written with a wrong value is reported once, at its value; an unreadable `with`, once, where it goes wrong.
    if (named !== null) reportUnbound(ctx, step, named, child);
  }
  if (targetAttr?.type === 'template') binding.targets = bindTargets(ctx, targetAttr.template, child);
  reportSharedTargets(ctx, step, binding, child);
  return binding;
}

function sourceOf(step: Step): string {
  const src = step.attributes.src;
  return src?.type === 'template' ? src.template.source : '';
}

/** The inputs bound, and every name `with` gives (null when it cannot be read). */
function bindInputs(
  ctx: WalkContext,
  template: Template,
  child: Frontmatter,
): { inputs: BoundInput[]; named: Set<string> | null } {
  const { pairs, at } = pairsOf(ctx, template, 'with');
  const declared = Object.keys(child.inputs);
  const out: BoundInput[] = [];
  const seen = new Set<string>();
  if (pairs === null) return { inputs: out, named: null };
  for (const pair of pairs) {
    const nameSpan = ctx.map.span(at(pair.nameStart), at(pair.nameStart + pair.name.length));
    const valueSpan = ctx.map.span(at(pair.valueStart), at(pair.valueEnd));
    if (pair.value === undefined) {
      report(
        ctx,
        'error',
        'include-invalid',
        `\`with\` binds \`${pair.name}\` to nothing`,
        nameSpan,
        `write ${pair.name}=value`,
      );
      continue;
    }
    const decl = Object.hasOwn(child.inputs, pair.name) ? child.inputs[pair.name] : undefined;
    if (decl === undefined) {
      const hint = closest(pair.name, declared);
      report(
        ctx,
        'error',
        'include-unknown-input',
        `the included runbook declares no input \`${pair.name}\`${hint ? `; did you mean \`${hint}\`?` : ''}`,
        nameSpan,
        declared.length > 0 ? `its inputs: ${declared.join(', ')}` : 'it declares no inputs',
      );
      continue;
    }
    if (seen.has(pair.name)) {
      report(ctx, 'error', 'include-input-invalid', `\`with\` binds \`${pair.name}\` twice`, nameSpan, 'keep one');
      continue;
    }
    seen.add(pair.name);
    // A placeholder that does not parse was reported with the attribute (expression-syntax).
    const unreadable: Diagnostic[] = [];
    const value = makeTemplate(pair.value, shifted(at(pair.valueStart)), ctx.map, unreadable);
    if (unreadable.length > 0 || !checkValue(ctx, decl, value, valueSpan)) continue;
    out.push({ name: pair.name, span: nameSpan, value, decl });
  }
  return { inputs: out, named: new Set(pairs.map((p) => p.name)) };
}

/** A literal must fit its declaration; placeholders may read only what exists when the run starts. */
function checkValue(ctx: WalkContext, decl: InputDecl, value: Template, span: Span): boolean {
  const expressions = value.parts.flatMap((p) => (p.type === 'expr' ? [p.expression] : []));
  if (expressions.length === 0) {
    const problem = literalProblem(decl, value.source);
    if (problem !== undefined)
      report(
        ctx,
        'error',
        'include-input-invalid',
        `\`${decl.name}=${value.source}\`: ${problem}`,
        span,
        hintFor(decl),
      );
    return problem === undefined;
  }
  let ok = true;
  for (const expression of expressions) {
    const analysis = analyzeExpression(expression.source);
    if (!analysis.ok) {
      report(
        ctx,
        'error',
        'expression-syntax',
        `expression \`${expression.source}\`: ${analysis.message}`,
        expression.span,
      );
      ok = false;
      continue;
    }
    for (const ref of analysis.references) {
      if (JS_GLOBALS.has(ref.root) || ref.root === 'run') continue;
      const name = ref.path[0];
      const runWide = RUN_WIDE.has(ref.root);
      if (runWide && (name === undefined || Object.hasOwn(ctx.frontmatter[ref.root as 'inputs'], name))) continue;
      ok = false;
      report(
        ctx,
        'error',
        'include-input-invalid',
        runWide
          ? `\`with\` value of \`${decl.name}\` reads \`${ref.root}.${name}\`, which this runbook does not declare`
          : `\`with\` value of \`${decl.name}\` reads \`${ref.root}\`: a \`with\` value is bound when the run starts, before any step runs`,
        expression.span,
        'it can use inputs, secrets, env and run of this runbook',
      );
    }
  }
  return ok;
}

function literalProblem(decl: InputDecl, text: string): string | undefined {
  if (decl.type === 'secret')
    return 'a secret input is not written in the runbook; bind it to a secret: `{{ secrets.NAME }}`';
  const judged = inputValue(decl, text);
  // A pattern that does not compile is the included runbook's frontmatter's to report.
  return judged.ok || judged.why.startsWith('its pattern ') ? undefined : judged.why;
}

function hintFor(decl: InputDecl): string {
  const what = decl.type === 'choice' && decl.options ? `one of ${decl.options.join(', ')}` : `a ${decl.type}`;
  return `the included runbook declares \`${decl.name}\` as ${what}${decl.description ? ` (${decl.description})` : ''}`;
}

/** A parameterised include binds what the included runbook requires, unless this runbook declares it too (and asks for it). */
function reportUnbound(ctx: WalkContext, step: Step, named: Set<string>, child: Frontmatter): void {
  for (const decl of Object.values(child.inputs)) {
    if (!decl.required || decl.default !== undefined) continue;
    if (named.has(decl.name) || Object.hasOwn(ctx.frontmatter.inputs, decl.name)) continue;
    report(
      ctx,
      'error',
      'include-missing-input',
      `the included runbook needs input \`${decl.name}\`, which this include does not bind${decl.description ? ` (${decl.description})` : ''}`,
      step.span,
      `add ${decl.name}=... to \`with\`, or declare \`${decl.name}\` under this runbook's \`inputs:\``,
    );
  }
}
