/**
 * `::::each{items="expr" as=name max=N}` ... `::::`: a region whose steps run once per item
 * (runbooks/README.md, "Loops"). Like `::::if`, it is structure, not a step: its body steps carry
 * the loop (`Step.loop`), and the graph and `check` see each of them once. Loops do not nest: an
 * `each` inside another is an error (the inner one's steps belong to the outer loop only).
 */
import type { RootContent } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { report } from './attributes.js';
import type { Diagnostic } from './diagnostic.js';
import { scanDirectiveHead } from './directive-head.js';
import type { Block, Expression, Loop, Step } from './model.js';
import { spanOf, type DirectiveNode } from './step-builder.js';
import { makeExpression, shifted } from './template-source.js';
import type { WalkContext } from './walk-context.js';

export const DEFAULT_MAX_ITEMS = 1000;
export const MAX_ITEMS_LIMIT = 10_000;
/** The name of the current iteration inside a body: `loop.index` (0-based) and `loop.count`. */
export const LOOP_NAME = 'loop';

/** Names an `as` cannot take: the scope's own roots, and JavaScript's reserved words. */
const TAKEN = new Set([
  LOOP_NAME,
  'inputs',
  'secrets',
  'env',
  'run',
  'steps',
  ...'break case catch class const continue debugger default delete do else export extends false finally for function if import in instanceof let new null return super switch this throw true try typeof undefined var void while with yield await'.split(
    ' ',
  ),
]);
const JS_NAME = /^[A-Za-z_$][\w$]*$/;

type Walk = (
  nodes: readonly RootContent[],
  start: number,
  end: number,
  ctx: WalkContext,
  conditions: Expression[],
) => Block[];

export function eachRegion(node: DirectiveNode, ctx: WalkContext, conditions: Expression[], walk: Walk): Block[] {
  const span = spanOf(ctx.map, node);
  if (node.type === 'leafDirective') {
    report(
      ctx,
      'error',
      'each-form',
      '`each` marks a region: write it as a container, `::::each{items="..." as=item}` ... `::::`',
      span,
    );
    return [];
  }
  const head = scanDirectiveHead(ctx.source, span.start.offset);
  const site = (name: string) => head.attributes.find((a) => a.name === name);
  const value = (name: string): string | undefined => {
    const v = node.attributes?.[name];
    return site(name) === undefined || v === null || v === undefined ? undefined : v;
  };
  const end = regionEnd(node, ctx);
  const body = (): Block[] => walk(node.children, head.end, end, ctx, conditions);
  for (const extra of head.attributes)
    if (!['items', 'as', 'max'].includes(extra.name))
      report(
        ctx,
        'warning',
        'unknown-attribute',
        `\`each\` has no attribute \`${extra.name}\`; it is ignored`,
        ctx.map.span(extra.nameStart, extra.nameEnd),
        'an `each` takes items, as and max',
      );
  const items = value('items');
  const as = value('as');
  if (items === undefined || items.trim() === '' || as === undefined || as === '') {
    const missing = items === undefined || items.trim() === '' ? 'items' : 'as';
    report(
      ctx,
      'error',
      'missing-attribute',
      `\`each\` needs \`${missing}\`: ${missing === 'items' ? 'the list to walk (an expression)' : "the name of the current item in the loop's steps"}`,
      span,
      'write ::::each{items="dlq.rows" as=row}',
    );
    return body();
  }
  const asSite = site('as')!;
  const asSpan = ctx.map.span(asSite.valueStart, asSite.valueEnd);
  if (!JS_NAME.test(as) || TAKEN.has(as))
    report(
      ctx,
      'error',
      'each-name',
      JS_NAME.test(as)
        ? `\`as=${as}\` is a name expressions already use; pick another`
        : `\`as=${as}\` is not a name an expression can use`,
      asSpan,
      'use letters, digits and _, starting with a letter (e.g. as=row)',
    );
  const max = readMax(value('max'), site('max'), ctx);
  const loop: Loop = {
    items: makeExpression(items, shifted(site('items')!.valueStart), ctx.map),
    as,
    max,
    span,
    file: ctx.file,
    conditions,
    asSpan,
  };
  const blocks = body();
  for (const inner of nested(blocks))
    report(
      ctx,
      'error',
      'each-form',
      'an `each` cannot stand inside another `each`',
      inner.span,
      "loop over the outer list's items in one `each`, or move the inner loop out (its steps belong to the outer loop here)",
    );
  for (const step of stepsOf(blocks)) step.loop = loop;
  return [{ type: 'each', loop, blocks, span }];
}

/** `max`: an integer from 1 to 10,000; the default when absent or wrong (wrong is reported). */
function readMax(
  raw: string | undefined,
  at: { valueStart: number; valueEnd: number } | undefined,
  ctx: WalkContext,
): number {
  if (raw === undefined || at === undefined) return DEFAULT_MAX_ITEMS;
  const n = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isInteger(n) && n >= 1 && n <= MAX_ITEMS_LIMIT) return n;
  report(
    ctx,
    'error',
    'attribute-invalid',
    `\`max=${raw}\` is not a number of items from 1 to ${MAX_ITEMS_LIMIT.toLocaleString('en-US')}`,
    ctx.map.span(at.valueStart, at.valueEnd),
    `the default is ${DEFAULT_MAX_ITEMS.toLocaleString('en-US')}; a longer list is better split`,
  );
  return DEFAULT_MAX_ITEMS;
}

/** Whether `root` is, inside `step`, the loop's item or `loop` (not a step id or a run name). */
export function isLoopName(step: Step, root: string): boolean {
  return step.loop !== undefined && (root === step.loop.as || root === LOOP_NAME);
}

/** Once ids are assigned: an `as` that is also a step id is reported (inside the body the name would hide the step). */
export function checkLoopNames(steps: readonly Step[], diagnostics: Diagnostic[]): void {
  if (!steps.some((s) => s.loop !== undefined)) return;
  const ids = new Set(steps.map((s) => s.id));
  const seen = new Set<string>();
  for (const step of steps) {
    const loop = step.loop;
    const key = loopKey(step);
    if (loop === undefined || key === undefined || seen.has(key)) continue;
    seen.add(key);
    if (ids.has(loop.as))
      report(
        { diagnostics },
        'error',
        'each-name',
        `\`as=${loop.as}\` is also a step id: inside the loop the name would mean the item, not the step`,
        loop.asSpan,
        'pick another name for the item',
      );
  }
}

/**
 * Which loop a step is in, as a key: steps of one loop share one Loop object when parsed, but
 * not once a document comes back from the check cache (JSON), so loops are told apart by place.
 */
export function loopKey(step: Step): string | undefined {
  return step.loop === undefined ? undefined : `${step.loop.file}\u0000${step.loop.span.start.offset}`;
}

/** The loops of a runbook by key, each with its body steps in document order. */
export function loopsOf<S extends Step>(steps: readonly S[]): Map<string, { loop: Loop; body: S[] }> {
  const loops = new Map<string, { loop: Loop; body: S[] }>();
  for (const step of steps) {
    const key = loopKey(step);
    if (key === undefined) continue;
    const found = loops.get(key);
    if (found) found.body.push(step);
    else loops.set(key, { loop: step.loop!, body: [step] });
  }
  return loops;
}

function* nested(blocks: readonly Block[]): Generator<Extract<Block, { type: 'each' }>> {
  for (const block of blocks) {
    if (block.type === 'each') yield block;
    else if (block.type === 'if' || block.type === 'include') yield* nested(block.blocks);
  }
}

function stepsOf(blocks: readonly Block[], out: Step[] = []): Step[] {
  for (const block of blocks) {
    if (block.type === 'step') out.push(block.step);
    // An include is no step of its own at run time: the steps it brings are the loop's.
    else if (block.type === 'include' || block.type === 'if' || block.type === 'each') stepsOf(block.blocks, out);
  }
  return out;
}

/** Where a container's content ends: before its closing fence, when it has one. */
function regionEnd(node: ContainerDirective, ctx: WalkContext): number {
  const end = node.position?.end.offset ?? ctx.source.length;
  const lineStart = ctx.source.lastIndexOf('\n', end - 1) + 1;
  return /^\s*:{3,}\s*$/.test(ctx.source.slice(lineStart, end)) ? lineStart : end;
}
