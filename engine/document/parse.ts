/**
 * Markdown → RunbookDocument. Headings, step directives and `::::if` regions are the structure;
 * everything between them is prose, kept as the exact source text. Never throws: every problem
 * is a diagnostic, and parsing goes on past it.
 */
import type { Heading, Nodes, Paragraph, Root, RootContent, Yaml } from 'mdast';
import type { ContainerDirective } from 'mdast-util-directive';
import { toString } from 'mdast-util-to-string';
import { report } from './attributes.js';
import { sortDiagnostics, type Diagnostic } from './diagnostic.js';
import { parseFrontmatter } from './frontmatter.js';
import { emptyFrontmatter, type Frontmatter } from './frontmatter-model.js';
import { expandInclude, type IncludeContext } from './include.js';
import { parseMarkdown } from './markdown.js';
import type { Block, Expression, RunbookDocument, Step } from './model.js';
import { buildOutline, slugify } from './outline.js';
import { SourceMap } from './position.js';
import { buildStep, spanOf, type DirectiveNode, type StepContext } from './step-builder.js';
import { closest } from './suggest.js';
import { makeExpression, shifted } from './template-source.js';
import { scanDirectiveHead } from './directive-head.js';
import { isStepKind, STEP_KINDS } from '../steps/registry.js';

export interface ParseOptions {
  /** Reads an included runbook; absent means includes cannot be resolved (reported). */
  readFile?: (path: string) => string;
  /** Internal: the chain of files being included, to detect include cycles. */
  includeStack?: string[];
}

export interface ParseResult {
  document: RunbookDocument;
  diagnostics: Diagnostic[];
}

const DIRECTIVE_NAMES = [...STEP_KINDS, 'if'];

export function parseRunbook(input: string, path: string, options: ParseOptions = {}): ParseResult {
  const source = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const map = new SourceMap(source);
  const diagnostics: Diagnostic[] = [];
  const base = baseName(path);
  const document: RunbookDocument = { path, source, title: base, id: base, frontmatter: emptyFrontmatter(), blocks: [], steps: [], outline: [] };
  const nul = source.indexOf('\u0000');
  if (nul !== -1) {
    report({ diagnostics }, 'error', 'not-text', 'this file is not text (it holds a NUL byte); is it really a Markdown runbook?', map.span(nul, nul + 1));
    return { document, diagnostics };
  }
  const tree = parseMarkdown(source);
  const ctx: WalkContext = {
    source,
    map,
    diagnostics,
    file: path,
    foreign: false,
    frontmatter: document.frontmatter,
    options,
    headings: [],
    sectionCounts: new Map(),
  };
  const yaml = tree.children.find((c): c is Yaml => c.type === 'yaml');
  if (yaml) {
    const start = yaml.position?.start.offset ?? 0;
    const yamlOffset = source.indexOf('\n', start) + 1;
    const parsed = parseFrontmatter(yaml.value, yamlOffset, map);
    document.frontmatter = ctx.frontmatter = parsed.frontmatter;
    diagnostics.push(...parsed.diagnostics);
  }
  document.blocks = walk(tree.children, yaml?.position?.end.offset ?? 0, source.length, ctx, []);
  assignIds(document.blocks, diagnostics);
  document.steps = flattenSteps(document.blocks);
  document.outline = buildOutline(document.blocks);
  const firstH1 = document.blocks.find((b) => b.type === 'heading' && b.depth === 1);
  document.title = document.frontmatter.title ?? (firstH1?.type === 'heading' ? firstH1.text : base);
  document.id = document.frontmatter.id ?? base;
  return { document, diagnostics: sortDiagnostics(diagnostics) };
}

export interface WalkContext extends StepContext {
  frontmatter: Frontmatter;
  options: ParseOptions;
  /** Titles of the enclosing headings, by depth. */
  headings: { depth: number; text: string; slug: string }[];
  sectionCounts: Map<string, number>;
}

type Structural = Heading | DirectiveNode | Paragraph;

/** The nodes that shape the document, in order: headings, step and `if` directives, suspicious paragraphs. */
function* structural(nodes: readonly (RootContent | Nodes)[]): Generator<Structural> {
  for (const node of nodes) {
    if (node.type === 'heading') yield node;
    else if ((node.type === 'leafDirective' || node.type === 'containerDirective') && DIRECTIVE_NAMES.includes(node.name)) yield node;
    else if (node.type === 'paragraph') {
      if (looksLikeDirective(node)) yield node;
    } else if ('children' in node && node.type !== 'table') {
      if ((node.type === 'leafDirective' || node.type === 'containerDirective') && closest(node.name, DIRECTIVE_NAMES) !== undefined) yield node;
      else yield* structural(node.children as RootContent[]);
    }
  }
}

export function walk(nodes: readonly RootContent[], start: number, end: number, ctx: WalkContext, conditions: Expression[]): Block[] {
  const blocks: Block[] = [];
  let cursor = start;
  const flush = (until: number): void => {
    const text = ctx.source.slice(cursor, until);
    const lead = text.length - text.trimStart().length;
    const markdown = text.trim();
    if (markdown !== '') blocks.push({ type: 'prose', markdown, span: ctx.map.span(cursor + lead, cursor + lead + markdown.length) });
  };
  for (const node of structural(nodes)) {
    const span = spanOf(ctx.map, node);
    if (span.start.offset < cursor) continue;
    if (node.type === 'paragraph') {
      reportMalformed(node, ctx);
      continue;
    }
    flush(span.start.offset);
    cursor = span.end.offset;
    if (node.type === 'heading') blocks.push(heading(node, ctx));
    else if (node.name === 'if') blocks.push(...ifRegion(node, ctx, conditions));
    else if (!isStepKind(node.name)) {
      const hint = closest(node.name, DIRECTIVE_NAMES);
      report(ctx, 'error', 'unknown-directive', `unknown step directive \`${node.name}\`${hint ? `; did you mean \`${hint}\`?` : ''}`, span, `step kinds: ${STEP_KINDS.join(', ')}`);
      cursor = span.start.offset; // keep its text as prose
    } else {
      const step = buildStep(node, node.name, ctx, conditions, ctx.headings.map((h) => h.text));
      (step as StepWithSlug).sectionSlug = ctx.headings[ctx.headings.length - 1]?.slug ?? '';
      if (step.kind === 'include') blocks.push(expandInclude(step, ctx as IncludeContext));
      else blocks.push({ type: 'step', step });
    }
  }
  flush(end);
  return blocks;
}

function heading(node: Heading, ctx: WalkContext): Block {
  const text = toString(node).trim();
  const slug = slugify(text);
  while (ctx.headings.length > 0 && ctx.headings[ctx.headings.length - 1]!.depth >= node.depth) ctx.headings.pop();
  ctx.headings.push({ depth: node.depth, text, slug });
  return { type: 'heading', depth: node.depth, text, slug, span: spanOf(ctx.map, node) };
}

function ifRegion(node: DirectiveNode, ctx: WalkContext, conditions: Expression[]): Block[] {
  const span = spanOf(ctx.map, node);
  if (node.type === 'leafDirective') {
    report(ctx, 'error', 'if-form', '`if` marks a region: write it as a container, `::::if{that="..."}` ... `::::`', span);
    return [];
  }
  const head = scanDirectiveHead(ctx.source, span.start.offset);
  const that = head.attributes.find((a) => a.name === 'that');
  const value = node.attributes?.that;
  if (that === undefined || value === undefined || value === null || value.trim() === '') {
    report(ctx, 'error', 'missing-attribute', '`if` needs `that`: the condition of the region', span, 'write ::::if{that="expression"}');
    return walk(node.children, head.end, regionEnd(node, ctx), ctx, conditions);
  }
  for (const extra of head.attributes) if (extra.name !== 'that') report(ctx, 'warning', 'unknown-attribute', `\`if\` has no attribute \`${extra.name}\`; it is ignored`, ctx.map.span(extra.nameStart, extra.nameEnd));
  const condition = makeExpression(value, shifted(that.valueStart), ctx.map);
  const blocks = walk(node.children, head.end, regionEnd(node as ContainerDirective, ctx), ctx, [...conditions, condition]);
  return [{ type: 'if', condition, blocks, span }];
}

/** Where a container's content ends: before its closing fence, when it has one. */
function regionEnd(node: ContainerDirective, ctx: WalkContext): number {
  const end = node.position?.end.offset ?? ctx.source.length;
  const lineStart = ctx.source.lastIndexOf('\n', end - 1) + 1;
  return /^\s*:{3,}\s*$/.test(ctx.source.slice(lineStart, end)) ? lineStart : end;
}

/** A paragraph that starts like `::sql...` was meant as a directive but did not parse as one. */
function looksLikeDirective(node: Paragraph): boolean {
  const first = node.children[0];
  if (first?.type !== 'text' || !first.value.startsWith('::')) return false;
  const name = /^:{2,}([A-Za-z][\w-]*)/.exec(first.value)?.[1];
  return name !== undefined && (DIRECTIVE_NAMES.includes(name) || closest(name, DIRECTIVE_NAMES) !== undefined);
}

function reportMalformed(node: Paragraph, ctx: WalkContext): void {
  const line = (node.children[0] as { value: string }).value.split('\n')[0]!;
  const name = /^:{2,}([A-Za-z][\w-]*)/.exec(line)![1]!;
  const known = DIRECTIVE_NAMES.includes(name) ? name : closest(name, DIRECTIVE_NAMES)!;
  report(ctx, 'error', 'malformed-directive', `this line looks like a \`${known}\` step but is not a valid directive`, spanOf(ctx.map, node), 'check the [label] and {attributes}: an unclosed bracket or quote, or text after the closing brace');
}

interface StepWithSlug extends Step {
  sectionSlug?: string;
}

/** Generated ids are `section-slug-N`; explicit ids must be unique. */
function assignIds(blocks: Block[], diagnostics: Diagnostic[]): void {
  const all = flattenSteps(blocks);
  const seen = new Map<string, Step>();
  for (const step of all) {
    if (step.idOrigin !== 'explicit') continue;
    const first = seen.get(step.id);
    if (first) report({ diagnostics }, 'error', 'duplicate-id', `duplicate step id \`${step.id}\` (first used at line ${first.span.start.line})`, step.span, 'give each step its own id');
    else seen.set(step.id, step);
  }
  const counts = new Map<string, number>();
  for (const step of all as StepWithSlug[]) {
    const slug = step.sectionSlug ?? '';
    const n = (counts.get(slug) ?? 0) + 1;
    counts.set(slug, n);
    delete step.sectionSlug;
    if (step.idOrigin === 'explicit' || step.scope !== null) continue;
    let id = `${slug || 'step'}-${n}`;
    while (seen.has(id)) id += '-x';
    step.id = id;
    seen.set(id, step);
  }
}

export function flattenSteps(blocks: Block[], out: Step[] = []): Step[] {
  for (const block of blocks) {
    if (block.type === 'step') out.push(block.step);
    else if (block.type === 'include') {
      out.push(block.step);
      flattenSteps(block.blocks, out);
    } else if (block.type === 'if') flattenSteps(block.blocks, out);
  }
  return out;
}

function baseName(path: string): string {
  return (path.split(/[\\/]/).pop() ?? path).replace(/\.(md|markdown)$/i, '') || 'runbook';
}

export type { Root };
