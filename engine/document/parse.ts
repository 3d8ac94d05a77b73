/**
 * Markdown → RunbookDocument. Headings, step directives, `::::if` and `::::each` regions are the structure;
 * everything between them is prose, kept as the exact source text. Never throws: every problem
 * is a diagnostic, and parsing goes on past it.
 */
import type { Heading, Nodes, Root, RootContent, Yaml } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { report } from './attributes.js';
import { sortDiagnostics, type Diagnostic } from './diagnostic.js';
import { parseFrontmatter } from './frontmatter.js';
import { emptyFrontmatter } from './frontmatter-model.js';
import { checkLoopNames, eachRegion } from './each.js';
import { expandInclude } from './include.js';
import type { ParseOptions, ParseResult, WalkContext } from './walk-context.js';
import { parseMarkdown } from './markdown.js';
import { skeleton } from './markdown-skeleton.js';
import type { Block, Expression, RunbookDocument, Step } from './model.js';
import { buildOutline, slugify } from './outline.js';
import { MAX_NESTING, findTooDeep } from './nesting.js';
import { type Span, SourceMap } from './position.js';
import { textOf } from './text-of.js';
import { buildStep, spanOf, type DirectiveNode } from './step-builder.js';
import { closest } from './suggest.js';
import { makeExpression, shifted } from './template-source.js';
import { diagnoseDirectiveLine, scanDirectiveHead } from './directive-head.js';
import { blankLines, findMalformedLines, type MalformedLine } from './recover.js';
import { findStrayFences } from './stray-fence.js';
import { assignGeneratedIds, assignPositionIds } from './step-id.js';
import type { StepSpecs } from './step-spec.js';
import { append } from '../append.js';

export type { ParseOptions, ParseResult, WalkContext } from './walk-context.js';

export function parseRunbook(input: string, path: string, options: ParseOptions): ParseResult {
  const source = normalizeLineEnds(input.charCodeAt(0) === 0xfeff ? input.slice(1) : input);
  const map = new SourceMap(source);
  const diagnostics: Diagnostic[] = [];
  const base = baseName(path);
  const document: RunbookDocument = {
    path,
    source,
    title: base,
    id: base,
    frontmatter: emptyFrontmatter(),
    blocks: [],
    steps: [],
    outline: [],
  };
  const nul = source.indexOf('\u0000');
  if (nul !== -1) {
    report(
      { diagnostics },
      'error',
      'not-text',
      'this file is not text (it holds a NUL byte); is it really a Markdown runbook?',
      map.span(nul, nul + 1),
    );
    return { document, diagnostics };
  }
  const tooDeep = findTooDeep(source);
  if (tooDeep) {
    report(
      { diagnostics },
      'error',
      'nesting-too-deep',
      `this line nests lists, block quotes and \`:::\` containers more than ${MAX_NESTING} levels deep; Stepwise reads no further than this`,
      map.span(tooDeep.offset, tooDeep.offset + 1),
      'no runbook needs this; is the file generated or damaged?',
    );
    return { document, diagnostics };
  }
  const directives = [...Object.keys(options.specs), 'if', 'each'];
  const { tree, malformed } = parseRecovering(source, directives);
  const ctx: WalkContext = {
    source,
    map,
    diagnostics,
    file: path,
    foreign: false,
    frontmatter: document.frontmatter,
    options,
    specs: options.specs,
    headings: [],
    parse: parseRunbook,
    directives,
  };
  for (const line of malformed) reportMalformed(line, ctx);
  const yaml = tree.children.find((c): c is Yaml => c.type === 'yaml');
  let frontmatterDiagnostics: Diagnostic[] = [];
  let yamlText = '';
  if (yaml) {
    const start = yaml.position?.start.offset ?? 0;
    const yamlOffset = source.indexOf('\n', start) + 1;
    const parsed = parseFrontmatter(yaml.value, yamlOffset, map);
    document.frontmatter = ctx.frontmatter = parsed.frontmatter;
    if (!parsed.readable) parsed.frontmatter.unreadable = [path];
    frontmatterDiagnostics = parsed.diagnostics;
    yamlText = yaml.value;
  }
  document.blocks = walk(tree.children, yaml?.position?.end.offset ?? 0, source.length, ctx, []);
  assignIds(document.blocks, diagnostics, source, options.generatedIds ?? 'content', options.specs);
  document.steps = flattenSteps(document.blocks);
  // In a runbook a bare `::::` closes nothing it was meant to; in plain Markdown it is just text.
  if (document.steps.length > 0)
    for (const fence of findStrayFences(tree, source))
      report(
        ctx,
        'warning',
        'stray-fence',
        "this fence closes nothing: the region it was meant to close already ended at an inner region's closing fence, so the steps before it are outside that region",
        map.span(fence.start, fence.end),
        'give the outer region more colons than the one inside it: `:::::if` ... `:::::` around `::::each` ... `::::`',
      );
  checkLoopNames(document.steps, diagnostics);
  diagnostics.push(
    ...(document.steps.length > 0 ? frontmatterDiagnostics : notRunbookFrontmatter(frontmatterDiagnostics, yamlText)),
  );
  document.outline = buildOutline(document.blocks);
  const firstH1 = document.blocks.find((b) => b.type === 'heading' && b.depth === 1);
  document.title = document.frontmatter.title ?? (firstH1?.type === 'heading' ? firstH1.text : base);
  document.id = document.frontmatter.id ?? base;
  return { document, diagnostics: sortDiagnostics(diagnostics, path) };
}

/**
 * Old Mac files end lines with a lone CR. Each becomes a LF (one character for one, so every
 * offset stays put), so lines are counted as an editor shows them. CRLF is left as it is.
 */
function normalizeLineEnds(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/**
 * Parses the Markdown; lines meant as step directives that did not parse are blanked out and
 * the text parsed again, so each such line is one error and the steps after it are still found.
 */
function parseRecovering(source: string, directives: readonly string[]): { tree: Root; malformed: MalformedLine[] } {
  let text = source;
  let tree = parseMarkdown(text, undefined, skeleton);
  const malformed: MalformedLine[] = [];
  for (let round = 0; round < 4; round++) {
    const found = findMalformedLines(tree, text, (name) => looksLikeStepName(name, directives));
    if (found.length === 0) break;
    append(malformed, found);
    text = blankLines(text, found);
    tree = parseMarkdown(text, undefined, skeleton);
  }
  return { tree, malformed: malformed.sort((a, b) => a.start - b.start) };
}

/**
 * In a file with no steps, the frontmatter belongs to something else (a static site generator's
 * page or template): its unknown keys are not reported, and YAML it cannot read is a warning at
 * most, and nothing at all for a template (`title: "{{ replace .Name "-" " " }}"`).
 */
function notRunbookFrontmatter(diagnostics: Diagnostic[], yamlText: string): Diagnostic[] {
  const template = yamlText.includes('{{');
  return diagnostics.flatMap((d): Diagnostic[] => {
    if (d.rule === 'frontmatter-unknown-key') return [];
    if (d.rule !== 'frontmatter-yaml') return [d];
    if (template) return [];
    return [
      {
        ...d,
        severity: 'warning',
        hint: 'this file has no steps, so its frontmatter may be for another tool; for a Stepwise runbook, fix the YAML between the `---` lines',
      },
    ];
  });
}

type Structural = Heading | DirectiveNode;

/**
 * The nodes that shape the document, in order: headings, and directives that are (or are meant
 * as) steps and `if` regions. Other directives (admonitions like `:::warning`) are prose, and the
 * steps inside them count. All at once, not one by one from a generator: walk only reads the
 * nodes given, and a generator's every step cost more than the rest of its work on a megabyte of
 * list items each closed by a leaf directive. Exported for tests: the tree's skeleton
 * (markdown-skeleton.ts) gives the same.
 */
export function structural(nodes: readonly (RootContent | Nodes)[], directives: readonly string[]): Structural[] {
  const found: Structural[] = [];
  const steps = stepNames(directives);
  // Iterative, in document order: a stack of sibling lists and where each one is at.
  const stack: { nodes: readonly (RootContent | Nodes)[]; next: number }[] = [{ nodes, next: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.next >= top.nodes.length) {
      stack.pop();
      continue;
    }
    const node = top.nodes[top.next++]!;
    if (node.type === 'heading') found.push(node);
    else if ((node.type === 'leafDirective' || node.type === 'containerDirective') && meantAsStep(node, steps))
      found.push(node);
    else if (FLOW_CONTAINERS.has(node.type) && 'children' in node)
      stack.push({ nodes: node.children as RootContent[], next: 0 });
  }
  return found;
}

/**
 * The nodes whose children are blocks, where a heading or a step can stand. The others hold
 * inline content (paragraphs, table cells), which holds neither: no need to walk it.
 */
const FLOW_CONTAINERS = new Set<string>([
  'root',
  'blockquote',
  'list',
  'listItem',
  'footnoteDefinition',
  'containerDirective',
]);

/** Attributes only steps carry: a directive holding one is meant to run, whatever its name. */
const STEP_ONLY_ATTRIBUTES = ['id', 'target', 'that', 'when', 'query', 'run'];

function meantAsStep(node: DirectiveNode, steps: StepNames): boolean {
  return steps(node.name) || stepAttributes(node).length > 0;
}

/** Whether a directive's name is a step's, or close to one (looksLikeStepName). */
type StepNames = (name: string) => boolean;

/**
 * looksLikeStepName for one list of directives, each name's answer kept: a document names few
 * directives many times, and each answer is an edit distance to every step kind.
 */
function stepNames(directives: readonly string[]): StepNames {
  const known = new Map<string, boolean>();
  return (name) => {
    let answer = known.get(name);
    if (answer === undefined) {
      answer = looksLikeStepName(name, directives);
      known.set(name, answer);
    }
    return answer;
  };
}

function stepAttributes(node: DirectiveNode): string[] {
  const attributes = node.attributes ?? {};
  return STEP_ONLY_ATTRIBUTES.filter((name) => Object.hasOwn(attributes, name));
}

function looksLikeStepName(name: string, directives: readonly string[]): boolean {
  return directives.includes(name) || closest(name, directives) !== undefined;
}

export function walk(
  nodes: readonly RootContent[],
  start: number,
  end: number,
  ctx: WalkContext,
  conditions: Expression[],
): Block[] {
  const blocks: Block[] = [];
  let cursor = start;
  const flush = (until: number): void => {
    const text = ctx.source.slice(cursor, until);
    const lead = text.length - text.trimStart().length;
    const markdown = text.trim();
    if (markdown !== '')
      blocks.push({ type: 'prose', markdown, span: ctx.map.span(cursor + lead, cursor + lead + markdown.length) });
  };
  for (const node of structural(nodes, ctx.directives)) {
    const span = spanOf(ctx.map, node);
    if (span.start.offset < cursor) continue;
    flush(span.start.offset);
    cursor = span.end.offset;
    if (node.type === 'heading') blocks.push(heading(node, ctx, span));
    else if (node.name === 'if') append(blocks, ifRegion(node, ctx, conditions));
    else if (node.name === 'each') append(blocks, eachRegion(node, ctx, conditions, walk));
    else if (!Object.hasOwn(ctx.specs, node.name)) {
      reportUnknown(node, ctx);
      cursor = span.start.offset; // keep its text as prose
    } else {
      const spec = ctx.specs[node.name]!;
      const step = buildStep(
        node,
        spec,
        ctx,
        conditions,
        ctx.headings.map((h) => h.text),
      );
      if (spec.inlines) blocks.push(expandInclude(step, ctx));
      else blocks.push({ type: 'step', step });
    }
  }
  flush(end);
  return blocks;
}

/** `span`: the heading's, as walk found it. */
function heading(node: Heading, ctx: WalkContext, span: Span): Block {
  const text = textOf(node).trim();
  const slug = slugify(text);
  while (ctx.headings.length > 0 && ctx.headings[ctx.headings.length - 1]!.depth >= node.depth) ctx.headings.pop();
  ctx.headings.push({ depth: node.depth, text, slug });
  return { type: 'heading', depth: node.depth, text, slug, span };
}

function ifRegion(node: DirectiveNode, ctx: WalkContext, conditions: Expression[]): Block[] {
  const span = spanOf(ctx.map, node);
  if (node.type === 'leafDirective') {
    report(
      ctx,
      'error',
      'if-form',
      '`if` marks a region: write it as a container, `::::if{that="..."}` ... `::::`',
      span,
    );
    return [];
  }
  const head = scanDirectiveHead(ctx.source, span.start.offset);
  const that = head.attributes.find((a) => a.name === 'that');
  const value = node.attributes?.that;
  if (that === undefined || value === undefined || value === null || value.trim() === '') {
    report(
      ctx,
      'error',
      'missing-attribute',
      '`if` needs `that`: the condition of the region',
      span,
      'write ::::if{that="expression"}',
    );
    return walk(node.children, head.end, regionEnd(node, ctx), ctx, conditions);
  }
  for (const extra of head.attributes)
    if (extra.name !== 'that')
      report(
        ctx,
        'warning',
        'unknown-attribute',
        `\`if\` has no attribute \`${extra.name}\`; it is ignored`,
        ctx.map.span(extra.nameStart, extra.nameEnd),
      );
  const condition = makeExpression(value, shifted(that.valueStart), ctx.map);
  const blocks = walk(node.children, head.end, regionEnd(node as ContainerDirective, ctx), ctx, [
    ...conditions,
    condition,
  ]);
  return [{ type: 'if', condition, blocks, span }];
}

/** Where a container's content ends: before its closing fence, when it has one. */
function regionEnd(node: ContainerDirective, ctx: WalkContext): number {
  const end = node.position?.end.offset ?? ctx.source.length;
  const lineStart = ctx.source.lastIndexOf('\n', end - 1) + 1;
  return /^\s*:{3,}\s*$/.test(ctx.source.slice(lineStart, end)) ? lineStart : end;
}

function reportUnknown(node: DirectiveNode, ctx: WalkContext): void {
  const span = spanOf(ctx.map, node);
  const hint = closest(node.name, ctx.directives);
  const kinds = `step kinds: ${Object.keys(ctx.specs).join(', ')}`;
  if (hint !== undefined) {
    report(
      ctx,
      'error',
      'unknown-directive',
      `unknown step directive \`${node.name}\`; did you mean \`${hint}\`?`,
      span,
      kinds,
    );
    return;
  }
  const carried = stepAttributes(node).map((name) => (name === 'id' ? `#${node.attributes?.id ?? ''}` : name));
  report(
    ctx,
    'error',
    'unknown-directive',
    `\`${node.name}\` is not a step kind, but it carries what only steps carry (${carried.map((a) => `\`${a}\``).join(', ')}): as written it is never run`,
    span,
    `${kinds}; an admonition like :::warning carries none of id, target, that, when, query or run`,
  );
}

/** A line that starts like a step directive but is not one: one error, at the place it goes wrong. */
function reportMalformed(line: MalformedLine, ctx: WalkContext): void {
  const known = ctx.directives.includes(line.name) ? line.name : closest(line.name, ctx.directives)!;
  const problem = diagnoseDirectiveLine(ctx.source, line.start, line.end);
  const at = problem?.offset ?? line.start;
  const column = ctx.map.point(at).column;
  const why = problem
    ? `: ${problem.reason} (column ${column})`
    : ': a directive must start its own line, outside a paragraph';
  report(
    ctx,
    'error',
    'malformed-directive',
    `this line looks like a \`${known}\` step but is not a valid directive${why}`,
    ctx.map.span(at, line.end),
    problem?.hint ?? 'put a blank line before it',
  );
}

/** Explicit ids must be unique; the other steps get ids from their content (step-id.ts). */
function assignIds(
  blocks: Block[],
  diagnostics: Diagnostic[],
  source: string,
  scheme: 'content' | 'position',
  specs: StepSpecs,
): void {
  const all = flattenSteps(blocks);
  const seen = new Map<string, Step>();
  for (const step of all) {
    if (step.idOrigin !== 'explicit') continue;
    const first = seen.get(step.id);
    if (first)
      report(
        { diagnostics },
        'error',
        'duplicate-id',
        `duplicate step id \`${step.id}\` (first used at line ${first.span.start.line})`,
        step.span,
        'give each step its own id',
      );
    else seen.set(step.id, step);
  }
  if (scheme === 'position') assignPositionIds(all, new Set(seen.keys()));
  else
    assignGeneratedIds(
      all,
      new Set(seen.keys()),
      (step) => source.slice(step.span.start.offset, step.span.end.offset),
      specs,
    );
}

export function flattenSteps(blocks: Block[], out: Step[] = []): Step[] {
  for (const block of blocks) {
    if (block.type === 'step') out.push(block.step);
    else if (block.type === 'include') {
      out.push(block.step);
      flattenSteps(block.blocks, out);
    } else if (block.type === 'if' || block.type === 'each') flattenSteps(block.blocks, out);
  }
  return out;
}

function baseName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).replace(/\.(md|markdown)$/i, '') || 'runbook';
}

export type { Root };
