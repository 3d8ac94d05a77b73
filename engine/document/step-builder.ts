/**
 * One step directive (mdast node) → one Step: attributes validated against the kind's schema,
 * label and body as templates, common attributes lifted out. Ids are filled in by the caller.
 */
import type { Code, RootContent } from 'mdast';
import type { ContainerDirective, LeafDirective } from 'mdast-util-directive';
import { report, rawAttributes, validateAttribute, type AttributeContext } from './attributes.js';
import type { Diagnostic } from './diagnostic.js';
import { scanDirectiveHead } from './directive-head.js';
import type { Expression, Step, StepBody, StepRef } from './model.js';
import type { SourceMap, Span } from './position.js';
import { didYouMean } from './suggest.js';
import { linesFrom, makeTemplate, shifted } from './template-source.js';
import type { AttributeSpec, AttributeValue } from './attribute-types.js';
import { commonAttributes, isExpectation, type StepSpec, type StepSpecs } from './step-spec.js';

export interface BuildContext {
  source: string;
  map: SourceMap;
  diagnostics: Diagnostic[];
  file: string;
  /** Set when the step is in an included runbook, so diagnostics name that file. */
  foreign: boolean;
  /** The step kinds, by directive name. */
  specs: StepSpecs;
}

export type DirectiveNode = LeafDirective | ContainerDirective;

export const ID_PATTERN = /^[A-Za-z_][\w-]*$/;

export function spanOf(
  map: SourceMap,
  node: { position?: { start: { offset?: number }; end: { offset?: number } } },
): Span {
  return map.span(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0);
}

/** Builds a step of the kind `spec` describes; `id` is '' when the author gave none (the caller generates one). */
export function buildStep(
  node: DirectiveNode,
  spec: StepSpec,
  ctx: BuildContext,
  conditions: Expression[],
  section: string[],
): Step {
  const kind = spec.kind;
  const span = spanOf(ctx.map, node);
  const actx: AttributeContext = { map: ctx.map, diagnostics: ctx.diagnostics, fallback: span };
  if (ctx.foreign) actx.file = ctx.file;
  const head = scanDirectiveHead(ctx.source, span.start.offset);
  const raw = rawAttributes(node.attributes ?? {}, head.attributes, actx);
  const step: Step = {
    id: '',
    idOrigin: 'generated',
    kind,
    form: node.type === 'leafDirective' ? 'leaf' : 'container',
    label:
      head.label && head.label.end > head.label.start
        ? makeTemplate(
            ctx.source.slice(head.label.start, head.label.end),
            shifted(head.label.start),
            ctx.map,
            ctx.diagnostics,
            actx.file,
          )
        : null,
    body: null,
    attributes: {},
    raw,
    when: null,
    needs: [],
    onFail: 'stop',
    idempotent: false,
    timeoutMs: null,
    conditions,
    section,
    span,
    file: ctx.file,
    scope: null,
  };
  const { known, required } = attributesOf(spec);
  for (const attr of raw) {
    if (attr.name === 'id') {
      if (!ID_PATTERN.test(attr.value))
        report(
          actx,
          'error',
          'invalid-id',
          `step id \`${attr.value}\` is not valid`,
          attr.valueSpan,
          'start with a letter; use letters, digits, _ and -',
        );
      else {
        step.id = attr.value;
        step.idOrigin = 'explicit';
      }
      continue;
    }
    const attrSpec = attributeSpec(attr.name, attr.value, spec, known);
    if (attrSpec === undefined) {
      const hint = didYouMean(attr.name, Object.keys(known));
      report(
        actx,
        'warning',
        'unknown-attribute',
        `\`${kind}\` has no attribute \`${attr.name}\`; it is ignored${hint ? `; ${hint}` : ''}`,
        attr.nameSpan,
        `attributes of ${kind}: ${Object.keys(spec.attributes).concat(Object.keys(commonAttributes)).join(', ')}`,
      );
      continue;
    }
    const badName = known[attr.name] === undefined ? spec.anyAttributeName?.(attr.name) : null;
    if (badName) {
      report(actx, 'error', 'attribute-invalid', badName.message, attr.nameSpan, badName.hint);
      continue;
    }
    const value = validateAttribute(attr, attrSpec, actx);
    if (value !== undefined) lift(step, attr.name, value);
  }
  for (const [name, attrSpec] of required) {
    if (step.attributes[name] === undefined && !raw.some((a) => a.name === name)) {
      report(
        actx,
        'error',
        'missing-attribute',
        `\`${kind}\` needs \`${name}\`: ${attrSpec.doc}`,
        span,
        `write ::${kind}{${name}="..."}`,
      );
    }
  }
  if (spec.label === 'required' && step.label === null) {
    report(
      actx,
      'error',
      'missing-label',
      `\`${kind}\` needs a label: ${spec.labelIs ?? 'the text to show'}`,
      span,
      `write ::${kind}[...]{...}`,
    );
  }
  readContent(node, step, spec, ctx, actx);
  return step;
}

interface KindAttributes {
  /** The common attributes and the kind's own (which win), by name. */
  known: Record<string, AttributeSpec>;
  /** The kind's required attributes, in the order its spec lists them. */
  required: [string, AttributeSpec][];
}

/**
 * Per kind's attribute table, built once: copying the common attributes and the kind's into one
 * object for every step was most of buildStep's own time on a runbook of 19,000 steps.
 * Keyed by the table object, so a spec made elsewhere (a test's) gets its own; nothing changes one.
 */
const kindAttributes = new WeakMap<Record<string, AttributeSpec>, KindAttributes>();

function attributesOf(spec: StepSpec): KindAttributes {
  let found = kindAttributes.get(spec.attributes);
  if (found === undefined) {
    found = {
      known: { ...commonAttributes, ...spec.attributes },
      required: (Object.entries(spec.attributes) as [string, AttributeSpec][]).filter(([, a]) => a.required),
    };
    kindAttributes.set(spec.attributes, found);
  }
  return found;
}

/**
 * The spec an attribute is validated against. `expect=pass|fail` is the common attribute on every
 * kind; any other `expect` value is the kind's own when it has one (http's statuses, a set value).
 */
function attributeSpec(
  name: string,
  value: string,
  spec: StepSpec,
  known: Record<string, AttributeSpec>,
): AttributeSpec | undefined {
  if (isExpectation(name, value)) return commonAttributes.expect;
  if (name === 'expect') return spec.attributes.expect ?? spec.anyAttribute ?? commonAttributes.expect;
  return known[name] ?? spec.anyAttribute;
}

function lift(step: Step, name: string, value: AttributeValue): void {
  if (name === 'when' && value.type === 'expression') step.when = value.expression;
  else if (name === 'needs' && value.type === 'step-refs') step.needs = value.refs satisfies StepRef[];
  else if (name === 'on-fail' && value.type === 'enum') step.onFail = value.value as Step['onFail'];
  else if (name === 'idempotent' && value.type === 'boolean') step.idempotent = value.value;
  else if (name === 'timeout' && value.type === 'duration') step.timeoutMs = value.ms;
  else if (name === 'expect' && value.type === 'enum') {
    if (value.value === 'fail') step.expect = 'fail';
  } else step.attributes[name] = value;
}

function readContent(node: DirectiveNode, step: Step, spec: StepSpec, ctx: BuildContext, actx: AttributeContext): void {
  if (node.type === 'leafDirective') {
    const leafBody = spec.leafBody;
    const runs = spec.leafRuns
      ? spec.leafRuns.has(step)
      : leafBody !== undefined && step.attributes[leafBody] !== undefined;
    if (spec.content === 'code' && !runs) {
      const what = spec.leafRuns?.what ?? `\`${leafBody}\``;
      report(
        actx,
        'error',
        'missing-body',
        `\`::${step.kind}\` has nothing to run: give it ${what}, or use the container form with a fenced code block`,
        step.span,
        `:::${step.kind}{...}\n\`\`\`\n...\n\`\`\`\n:::`,
      );
    }
    return;
  }
  const children = node.children.filter((c) => !(c.type === 'paragraph' && c.data?.directiveLabel));
  if (spec.content === 'none') {
    if (children.length > 0)
      report(
        actx,
        'error',
        'unexpected-content',
        `\`:::${step.kind}\` cannot hold content`,
        step.span,
        `use the leaf form ::${step.kind}[...]{...}`,
      );
    return;
  }
  if (spec.content === 'markdown') {
    if (children.length > 0) {
      const start = children[0]!.position?.start.offset ?? 0;
      const end = children[children.length - 1]!.position?.end.offset ?? start;
      step.body = {
        lang: 'markdown',
        template: makeTemplate(ctx.source.slice(start, end), shifted(start), ctx.map, ctx.diagnostics, actx.file),
      };
    }
    return;
  }
  const codes = children.filter((c): c is Code => c.type === 'code');
  const others = children.filter((c) => c.type !== 'code');
  if (codes.length === 0) {
    report(
      actx,
      'error',
      'container-without-code',
      `\`:::${step.kind}\` holds no fenced code block`,
      step.span,
      `put the ${spec.codeIs ?? 'code'} in a \`\`\` fence between \`:::${step.kind}\` and \`:::\``,
    );
    return;
  }
  if (codes.length > 1 || others.length > 0) {
    const extra: RootContent = codes.length > 1 ? codes[1]! : others[0]!;
    report(
      actx,
      'error',
      'container-extra-content',
      `\`:::${step.kind}\` must hold exactly one fenced code block, but more follows here; is its closing \`:::\` missing?`,
      spanOf(ctx.map, extra),
      'close the container with a line of `:::` right after the code block',
    );
  }
  step.body = codeBody(codes[0]!, ctx, actx);
}

function codeBody(code: Code, ctx: BuildContext, actx: AttributeContext): StepBody {
  const start = code.position!.start;
  const text = code.value.replace(/\r$/gm, '');
  const fenced = /^[ \t]*(`{3,}|~{3,})/.test(ctx.source.slice(start.offset, (start.offset ?? 0) + 40));
  const at = fenced
    ? linesFrom(ctx.map, text, start.line + 1, start.column - 1)
    : linesFrom(ctx.map, text, start.line, start.column - 1);
  return { lang: code.lang ?? null, template: makeTemplate(text, at, ctx.map, ctx.diagnostics, actx.file) };
}
