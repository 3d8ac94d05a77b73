/**
 * `::include{src=other.md as=name}`: parses the other runbook and inlines its steps, their ids
 * under the namespace `name.` Its targets, inputs, secrets and env names join the including
 * runbook's (the including runbook's own definitions win).
 */
import { dirname, resolve } from 'node:path';
import { FileReadError, readTextFile } from '../io/read-bounded.js';
import { report } from './attributes.js';
import type { Block, Step } from './model.js';
import type { WalkContext } from './walk-context.js';
import { slugify } from './outline.js';
import { ID_PATTERN } from './step-builder.js';
import type { Frontmatter } from './frontmatter-model.js';

export type IncludeContext = WalkContext;

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
  mergeFrontmatter(ctx, child.document.frontmatter, step);
  block.blocks = child.document.blocks;
  return block;
}

function mergeFrontmatter(ctx: IncludeContext, from: Frontmatter, step: Step): void {
  const into = ctx.frontmatter;
  for (const key of ['targets', 'inputs', 'secrets', 'env'] as const) {
    const target = into[key] as Record<string, { span: unknown }>;
    for (const [name, decl] of Object.entries(from[key] as Record<string, { span: unknown }>)) {
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
