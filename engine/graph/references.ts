/**
 * The dependencies a step's expressions create, and the problems in them: syntax errors,
 * unknown steps or inputs, undeclared secrets or env names, each at the expression's place.
 */
import { report } from '../document/attributes.js';
import type { Diagnostic } from '../document/diagnostic.js';
import type { Expression, Step } from '../document/model.js';
import type { Point, Span } from '../document/position.js';
import { closest } from '../document/suggest.js';
import { analyzeExpression, JS_GLOBALS, type ExprReference } from '../expr/analyze.js';
import { isBoundInput } from '../document/include-scopes.js';
import { stepExpressions } from './expressions.js';
import { isLoopName } from '../document/each.js';
import { resolve, RUN_FIELDS, SCOPE_ROOTS, type Names } from './scope.js';

export interface Dependency {
  id: string;
  detail: string;
}

export interface Ctx {
  names: Names;
  diagnostics: Diagnostic[];
  mainFile: string;
  /** Inputs parameterised includes bind, by namespace (engine/document/include-scopes.ts). */
  boundInputs?: ReadonlyMap<string, ReadonlySet<string>>;
}

export function stepDependencies(step: Step, ctx: Ctx): Dependency[] {
  const { names, diagnostics, mainFile } = ctx;
  const deps: Dependency[] = [];
  for (const { expression } of stepExpressions(step)) {
    for (const ref of expressionReferences(expression, step, ctx)) {
      if (isLoopName(step, ref.root)) continue;
      const resolved = resolve(ref, step.scope, names, (n) => JS_GLOBALS.has(n));
      const at = spanAt(expression, ref.start, ref.end);
      const here = { diagnostics, ...(step.file !== mainFile ? { file: step.file } : {}) };
      if (resolved.kind === 'step') deps.push({ id: resolved.id, detail: expression.source.slice(ref.start, ref.end) });
      else if (resolved.kind === 'unknown') {
        const candidates = [...names.steps.keys(), ...names.namespaces, ...SCOPE_ROOTS];
        const name = ref.root === 'steps' ? (ref.path[0] ?? '') : ref.root;
        const hint = closest(name, candidates);
        report(
          here,
          'error',
          'unknown-reference',
          `\`${name}\` is not a step id, input or known name${hint ? `; did you mean \`${hint}\`?` : ''}`,
          at,
          'expressions can use step ids, inputs.NAME, secrets.NAME, env.NAME, run.id/startedAt/operator',
        );
      } else if (resolved.kind === 'run-name' && !boundHere(ref, step, ctx))
        checkRunName(ref, resolved.root, at, here, names);
    }
  }
  return deps;
}

/** `inputs.x` in an included step whose include binds `x` (`with="x=..."`). */
function boundHere(ref: ExprReference, step: Step, ctx: Ctx): boolean {
  const name = ref.path[0];
  return ref.root === 'inputs' && name !== undefined && ctx.boundInputs !== undefined
    ? isBoundInput(ctx.boundInputs, step.scope, name)
    : false;
}

function checkRunName(
  ref: ExprReference,
  root: string,
  at: Span,
  here: { diagnostics: Diagnostic[]; file?: string },
  names: Names,
): void {
  const name = ref.path[0];
  const fm = names.frontmatter;
  if (name === undefined) return;
  if (root === 'inputs' && fm.inputs[name] === undefined) {
    const hint = closest(name, Object.keys(fm.inputs));
    report(
      here,
      'error',
      'unknown-input',
      `input \`${name}\` is not declared${hint ? `; did you mean \`inputs.${hint}\`?` : ''}`,
      at,
      'declare it under `inputs:` in the frontmatter',
    );
  } else if (root === 'secrets' && fm.secrets[name] === undefined) {
    const hint = closest(name, Object.keys(fm.secrets));
    report(
      here,
      'error',
      'undeclared-secret',
      `secret \`${name}\` is not declared${hint ? `; did you mean \`secrets.${hint}\`?` : ''}`,
      at,
      'declare it under `secrets:` in the frontmatter so it is read safely and redacted',
    );
  } else if (root === 'env' && fm.env[name] === undefined) {
    report(
      here,
      'error',
      'undeclared-env',
      `environment variable \`${name}\` is not declared`,
      at,
      'list it under `env:` in the frontmatter; expressions see only declared names',
    );
  } else if (root === 'run' && !(RUN_FIELDS as readonly string[]).includes(name)) {
    report(
      here,
      'error',
      'unknown-reference',
      `\`run.${name}\` does not exist`,
      at,
      `run has ${RUN_FIELDS.join(', ')}`,
    );
  }
}

/** References of one expression; a syntax error is reported and gives none. */
export function expressionReferences(expression: Expression, step: Step | null, ctx: Ctx): ExprReference[] {
  const analysis = analyzeExpression(expression.source);
  if (analysis.ok) return analysis.references;
  const here = { diagnostics: ctx.diagnostics, ...(step && step.file !== ctx.mainFile ? { file: step.file } : {}) };
  report(
    here,
    'error',
    'expression-syntax',
    `expression \`${clip(expression.source)}\`: ${analysis.message}`,
    spanAt(expression, analysis.offset, analysis.offset),
    'expressions are JavaScript, e.g. stuck.rowCount == 0',
  );
  return [];
}

/** The place of `start..end` inside an expression, counted from where the expression starts. */
export function spanAt(expression: Expression, start: number, end: number): Span {
  return { start: pointIn(expression, start), end: pointIn(expression, end) };
}

function pointIn(expression: Expression, offset: number): Point {
  let { line, column } = expression.span.start;
  const stop = Math.min(offset, expression.source.length);
  for (let i = 0; i < stop; i++) {
    if (expression.source.charCodeAt(i) === 10) {
      line++;
      column = 1;
    } else column++;
  }
  return { line, column, offset: expression.span.start.offset + stop };
}

function clip(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 60 ? `${line.slice(0, 57)}...` : line;
}
