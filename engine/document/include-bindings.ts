/**
 * A parameterised include's `with` and `target` (runbooks/README.md, "Including another
 * runbook"), read and checked against both runbooks' frontmatter. Every problem is reported at
 * the including line, at the column of the name or value it concerns: an input the included
 * runbook does not declare (with a did-you-mean), a literal of the wrong type, a required input
 * left unbound, a target either runbook does not declare, targets of different kinds.
 */
import { analyzeExpression, JS_GLOBALS } from '../expr/analyze.js';
import { scanTemplate } from '../expr/template.js';
import { compileLinear } from '../redact/linear-regex.js';
import { report } from './attributes.js';
import type { Diagnostic } from './diagnostic.js';
import type { Frontmatter, InputDecl } from './frontmatter-model.js';
import type { WalkContext } from './walk-context.js';
import type { BoundInput, IncludeBinding } from './include-types.js';
import type { Step, Template } from './model.js';
import { splitPairs, type Pair } from './include-pairs.js';
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

/**
 * A target the include does not map joins this runbook's, shared by the whole run: its headers
 * cannot read an input `with` binds for one include (the run would find it missing).
 */
function reportSharedTargets(ctx: WalkContext, step: Step, binding: IncludeBinding, child: Frontmatter): void {
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

function sourceOf(step: Step): string {
  const src = step.attributes.src;
  return src?.type === 'template' ? src.template.source : '';
}

/** The pairs of `with` or `target`, or none after reporting where the text stops making sense. */
function pairsOf(
  ctx: WalkContext,
  template: Template,
  attr: string,
): { pairs: Pair[] | null; at: (o: number) => number } {
  const start = template.span.start.offset;
  const at = (offset: number): number => start + offset;
  const split = splitPairs(template.source);
  if (split.ok) return { pairs: split.pairs, at };
  report(
    ctx,
    'error',
    'include-invalid',
    `\`${attr}\` of an include: ${split.reason}`,
    ctx.map.span(at(split.offset), at(split.offset)),
    attr === 'with'
      ? 'write with="name=value name2=value2"'
      : 'write target=name, or target="theirs=ours theirs2=ours2"',
  );
  return { pairs: null, at };
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
  if (decl.type === 'number' && (text.trim() === '' || !Number.isFinite(Number(text))))
    return `\`${text}\` is not a number`;
  if (decl.type === 'boolean' && !['true', 'yes', '1', 'on', 'false', 'no', '0', 'off'].includes(text.toLowerCase()))
    return `\`${text}\` is not true or false`;
  if (decl.type === 'choice' && decl.options && !decl.options.map(String).includes(text))
    return `\`${text}\` is not one of ${decl.options.join(', ')}`;
  if (decl.pattern !== undefined) {
    try {
      if (!compileLinear(decl.pattern).test(text)) return `\`${text}\` does not match ${decl.pattern}`;
    } catch {
      return undefined; // the included runbook's frontmatter reports its pattern
    }
  }
  return undefined;
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

/** `target=api` (the included runbook's only target) or `target="db=main api=gw"`: theirs → ours. */
function bindTargets(ctx: WalkContext, template: Template, child: Frontmatter): Record<string, string> {
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
