/**
 * `::include{src=other.md as=name with="k=v" target=t}`: parses the other runbook and inlines its
 * steps, their ids under the namespace `name.` Its targets, inputs, secrets and env names join the
 * including runbook's (the including runbook's own definitions win), except the inputs `with`
 * binds and the targets `target` maps (include-bindings.ts): those belong to this include alone.
 */
import { dirname, resolve } from 'node:path';
import { FileReadError, readTextFile } from '../io/read-bounded.js';
import { report } from './attributes.js';
import type { Block, Step } from './model.js';
import type { WalkContext } from './walk-context.js';
import { slugify } from './outline.js';
import { ID_PATTERN } from './step-builder.js';
import type { Frontmatter } from './frontmatter-model.js';
import { bindInclude } from './include-bindings.js';
import type { IncludeBinding } from './include-types.js';
import type { Diagnostic } from './diagnostic.js';
import type { StepSpecs } from './step-spec.js';
import { isTargetKind, targetKind } from '../targets/registry.js';

export type IncludeContext = WalkContext;

/** The namespaces already used in one runbook (keyed by its parse's diagnostics), and where. */
const namespacesOf = new WeakMap<Diagnostic[], Map<string, number>>();

/** How included runbooks are read from disk: only regular files of at most 10 MiB (never /dev/zero or a FIFO). */
export function readIncludedFile(path: string): string {
  return readTextFile(path, { what: 'runbook file' });
}

export function expandInclude(step: Step, ctx: IncludeContext): Block {
  const block: Block = { type: 'include', step, blocks: [] };
  const src = step.attributes.src;
  if (src?.type !== 'template') return block;
  if (src.template.parts.some((p) => p.type === 'expr')) {
    report(
      ctx,
      'error',
      'include-invalid',
      '`src` of an include cannot hold placeholders: includes are resolved before the run',
      src.template.span,
    );
    return block;
  }
  const path = resolve(dirname(ctx.file), src.template.source);
  const as = step.attributes.as;
  const prefix =
    as?.type === 'template' ? as.template.source : slugify(baseName(path)).replace(/^[^A-Za-z_]+/, '') || 'included';
  if (!ID_PATTERN.test(prefix)) {
    report(
      ctx,
      'error',
      'include-invalid',
      `\`as=${prefix}\` is not a valid namespace`,
      as?.type === 'template' ? as.template.span : step.span,
      'start with a letter; use letters, digits, _ and -',
    );
    return block;
  }
  let used = namespacesOf.get(ctx.diagnostics);
  if (used === undefined) namespacesOf.set(ctx.diagnostics, (used = new Map()));
  const first = used.get(prefix);
  if (first !== undefined) {
    report(
      ctx,
      'error',
      'include-invalid',
      `\`as=${prefix}\` is already the namespace of the include at line ${first}`,
      as?.type === 'template' ? as.template.span : step.span,
      'give each include its own `as`',
    );
    return block;
  }
  used.set(prefix, step.span.start.line);
  const stack = ctx.options.includeStack ?? [];
  if (path === ctx.file || stack.includes(path)) {
    report(
      ctx,
      'error',
      'include-cycle',
      `including \`${src.template.source}\` would include it again (${[...stack, ctx.file, path].join(' → ')})`,
      src.template.span,
    );
    return block;
  }
  if (!ctx.options.readFile) {
    report(
      ctx,
      'error',
      'include-unreadable',
      `cannot read included runbook \`${src.template.source}\` here`,
      src.template.span,
    );
    return block;
  }
  let text: string;
  try {
    text = ctx.options.readFile(path);
  } catch (error) {
    const why =
      error instanceof FileReadError && error.code === undefined
        ? error.message
        : ((error as NodeJS.ErrnoException).code ?? (error as Error).message);
    report(
      ctx,
      'error',
      'include-unreadable',
      `cannot read included runbook \`${src.template.source}\`: ${why}`,
      src.template.span,
      `the path is relative to ${dirname(ctx.file)}`,
    );
    return block;
  }
  const child = ctx.parse(text, path, { ...ctx.options, includeStack: [...stack, ctx.file] });
  for (const d of child.diagnostics) ctx.diagnostics.push(d.file === undefined ? { ...d, file: path } : d);
  const inherited = step.when ? [...step.conditions, step.when] : step.conditions;
  for (const inner of child.document.steps) {
    inner.id = `${prefix}.${inner.id}`;
    inner.scope = inner.scope === null ? prefix : `${prefix}.${inner.scope}`;
    inner.conditions = [...inherited, ...inner.conditions];
    inner.section = [...step.section, ...inner.section];
  }
  prefixBindings(child.document.blocks, prefix);
  const binding = bindInclude(ctx, step, prefix, child.document.frontmatter);
  if (binding !== null) {
    mapTargets(child.document.steps, child.document.frontmatter, binding.targets, ctx.specs);
    block.binding = binding;
  }
  mergeFrontmatter(ctx, child.document.frontmatter, step, binding);
  block.blocks = child.document.blocks;
  return block;
}

/** The bindings of includes inside the included runbook now live under this include's namespace. */
function prefixBindings(blocks: Block[], prefix: string): void {
  for (const block of blocks) {
    if (block.type === 'if') prefixBindings(block.blocks, prefix);
    else if (block.type === 'include') {
      if (block.binding) block.binding.scope = `${prefix}.${block.binding.scope}`;
      prefixBindings(block.blocks, prefix);
    }
  }
}

/**
 * The included steps that run against a mapped target run against this runbook's instead: those
 * naming it, and those naming none when it is the included runbook's only target they fit.
 */
function mapTargets(steps: Step[], child: Frontmatter, map: Record<string, string>, specs: StepSpecs): void {
  for (const step of steps) {
    const spec = specs[step.kind];
    if (spec?.target === undefined) continue;
    const attr = step.attributes.target;
    if (attr?.type === 'target') {
      if (Object.hasOwn(map, attr.name)) step.attributes.target = { ...attr, name: map[attr.name]! };
      continue;
    }
    if (attr !== undefined || spec.needsNoTarget?.(step) === true) continue;
    const fitting = Object.values(child.targets).filter(
      (t) => isTargetKind(t.kind) && targetKind(t.kind).capability === spec.target,
    );
    if (fitting.length === 1 && Object.hasOwn(map, fitting[0]!.name))
      step.attributes.target = { type: 'target', name: map[fitting[0]!.name]!, span: step.span };
  }
}

function mergeFrontmatter(ctx: IncludeContext, from: Frontmatter, step: Step, binding: IncludeBinding | null): void {
  const into = ctx.frontmatter;
  // What this include binds is its own: not asked for, not a target of this runbook.
  const own = {
    inputs: new Set(binding?.inputs.map((b) => b.name)),
    targets: new Set(Object.keys(binding?.targets ?? {})),
  };
  for (const key of ['targets', 'inputs', 'secrets', 'env'] as const) {
    const target = into[key] as Record<string, { span: unknown }>;
    for (const [name, decl] of Object.entries(from[key] as Record<string, { span: unknown }>)) {
      if ((key === 'inputs' || key === 'targets') && own[key].has(name)) continue;
      if (target[name] === undefined) target[name] = decl;
      else if (JSON.stringify({ ...target[name], span: 0 }) !== JSON.stringify({ ...decl, span: 0 })) {
        report(
          ctx,
          'warning',
          'include-conflict',
          `the included runbook defines ${key.replace(/s$/, '')} \`${name}\` differently; this runbook's definition is used`,
          step.span,
        );
      }
    }
  }
  for (const rule of from.redact) if (!into.redact.some((r) => r.name === rule.name)) into.redact.push(rule);
  if (from.unreadable) into.unreadable = [...(into.unreadable ?? []), ...from.unreadable];
}

function baseName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).replace(/\.(md|markdown)$/i, '');
}
