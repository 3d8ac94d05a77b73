/**
 * Frontmatter: YAML → validated Frontmatter, every problem a diagnostic at its YAML line.
 * Values keep `${NAME:-default}` as written; the environment is read when a run loads the runbook.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';
import type { Diagnostic } from './diagnostic.js';
import type { RuleId, SeverityOf } from './rule-ids.js';
import {
  emptyFrontmatter,
  INPUT_DECL_TYPES,
  LIST_ITEM_TYPES,
  REDACT_PATTERNS,
  type Frontmatter,
  type InputDecl,
  type InputType,
  type SecretDecl,
} from './frontmatter-model.js';
import type { SourceMap, Span } from './position.js';
import { didYouMean } from './suggest.js';
import { inputValue } from './input-value.js';
import { readProfileKey, type YamlSite } from './profiles.js';
import { linearPatternProblem } from '../redact/linear-regex.js';
import { isTargetKind, kindOfLocation, TARGET_KINDS, targetKind } from '../targets/registry.js';

const KNOWN_KEYS = ['title', 'id', 'targets', 'inputs', 'secrets', 'env', 'redact', 'profiles', 'default-profile'];
/** Metadata authors commonly keep in frontmatter; accepted and ignored. */
const METADATA_KEYS = [
  'description',
  'owner',
  'owners',
  'tags',
  'version',
  'service',
  'severity',
  'team',
  'updated',
  'author',
  'links',
];
const IDENT = /^[A-Za-z_$][\w$]*$/;

interface Ctx {
  map: SourceMap;
  base: number;
  diagnostics: Diagnostic[];
}

export function parseFrontmatter(
  yamlText: string,
  yamlOffset: number,
  map: SourceMap,
): {
  frontmatter: Frontmatter;
  diagnostics: Diagnostic[];
  /** False when the YAML itself is invalid: nothing of it was read. */
  readable: boolean;
} {
  const ctx: Ctx = { map, base: yamlOffset, diagnostics: [] };
  const frontmatter = emptyFrontmatter();
  frontmatter.span = map.span(Math.max(0, yamlOffset - 4), yamlOffset + yamlText.length);
  const doc = parseDocument(yamlText, { lineCounter: new LineCounter(), prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    // Only the first: the ones after it are mostly what the first mistake made of the rest.
    const message = error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    const [from, to] = mistakeAt(yamlText, message, error.pos);
    report(
      ctx,
      'error',
      'frontmatter-yaml',
      `invalid YAML in frontmatter: ${message}`,
      from,
      to,
      'fix the YAML between the `---` lines',
    );
    return { frontmatter, diagnostics: ctx.diagnostics, readable: false };
  }
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null))
    return { frontmatter, diagnostics: ctx.diagnostics, readable: true };
  if (!isMap(root)) {
    at(
      ctx,
      'error',
      'frontmatter-shape',
      'frontmatter must be a YAML mapping of keys (title, targets, inputs, ...)',
      root,
    );
    return { frontmatter, diagnostics: ctx.diagnostics, readable: true };
  }
  for (const pair of root.items as Pair<Node, Node | null>[]) {
    const key = keyName(pair);
    if (key === 'title' || key === 'id') {
      const value = scalarString(ctx, pair, key);
      if (value !== undefined) frontmatter[key] = value;
    } else if (key === 'targets')
      eachEntry(ctx, pair, (name, node, keyNode) => addTarget(ctx, frontmatter, name, node, keyNode));
    else if (key === 'inputs')
      eachEntry(ctx, pair, (name, node, keyNode) => addInput(ctx, frontmatter, name, node, keyNode));
    else if (key === 'secrets') readSecrets(ctx, frontmatter, pair);
    else if (key === 'env') readNameList(ctx, pair, 'env', (name, span) => (frontmatter.env[name] = { name, span }));
    else if (key === 'redact') readRedact(ctx, frontmatter, pair);
    else if (key === 'profiles' || key === 'default-profile') readProfileKey(yamlSite(ctx), frontmatter, pair);
    else if (!METADATA_KEYS.includes(key)) {
      // Any other key is metadata for another tool (Hugo's `weight`, `aliases`, ...), unless it
      // is so close to a key of ours that it is most likely a typo of it.
      const hint = didYouMean(key, KNOWN_KEYS);
      if (hint)
        at(
          ctx,
          'warning',
          'frontmatter-unknown-key',
          `unknown frontmatter key \`${key}\`; ${hint}`,
          pair.key as Node,
          `Stepwise's keys: ${KNOWN_KEYS.join(', ')}; other keys are kept as metadata and ignored`,
        );
    }
  }
  return { frontmatter, diagnostics: ctx.diagnostics, readable: true };
}

/**
 * YAML notices an unclosed quote or `{`/`[` only where the text ends or the next key begins; the
 * mistake is where it was opened. Returns that place, or YAML's own.
 */
function mistakeAt(text: string, message: string, pos: [number, number]): [number, number] {
  const quote = /^Missing closing (["'])quote/.exec(message)?.[1];
  const bracket = /end with a ([}\]])$/.exec(message)?.[1];
  if (quote === undefined && bracket === undefined) return pos;
  const open = bracket === '}' ? '{' : '[';
  for (let end = Math.min(pos[0], text.length); end > 0; ) {
    const start = text.lastIndexOf('\n', end - 1) + 1;
    const line = text.slice(start, end);
    let inQuote: string | null = null;
    let quoteAt = -1;
    const opens: number[] = [];
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      if (inQuote !== null) {
        if (c === inQuote) inQuote = null;
        else if (c === '\\' && inQuote === '"') i++;
      } else if (c === '"' || c === "'") {
        inQuote = c;
        quoteAt = i;
      } else if (c === '#' && (i === 0 || line[i - 1] === ' ')) break;
      else if (c === open) opens.push(i);
      else if (c === bracket) opens.pop();
    }
    if (quote !== undefined && inQuote === quote) return [start + quoteAt, start + quoteAt + 1];
    if (bracket !== undefined && opens.length > 0)
      return [start + opens[opens.length - 1]!, start + opens[opens.length - 1]! + 1];
    end = start - 1;
  }
  return pos;
}

function addTarget(ctx: Ctx, fm: Frontmatter, name: string, node: Node | null, keyNode: Node): void {
  const span = spanOf(ctx, keyNode);
  if (isScalar(node) && typeof node.value === 'string') {
    const kind = kindOfLocation(node.value);
    if (kind === undefined) {
      at(
        ctx,
        'error',
        'target-invalid',
        `target \`${name}\`: cannot tell the kind of \`${node.value}\``,
        node,
        `write { kind: ${TARGET_KINDS.join('|')}, url|path|base: ... }`,
      );
      return;
    }
    fm.targets[name] = { name, span, kind: kind.kind, location: node.value, readonly: false, headers: {} };
    return;
  }
  if (!isMap(node)) {
    at(
      ctx,
      'error',
      'target-invalid',
      `target \`${name}\` must be a URL or a mapping like { kind: postgres, url: ... }`,
      node ?? keyNode,
    );
    return;
  }
  const value = node.toJSON() as Record<string, unknown>;
  const kind =
    typeof value.kind === 'string'
      ? value.kind
      : kindOfLocation(String(value.url ?? value.base ?? value.path ?? ''))?.kind;
  if (kind === undefined || !isTargetKind(kind)) {
    const hint = typeof value.kind === 'string' ? didYouMean(value.kind, TARGET_KINDS) : '';
    at(
      ctx,
      'error',
      'target-invalid',
      `target \`${name}\` has ${value.kind === undefined ? 'no kind' : `unknown kind \`${String(value.kind)}\``}${hint ? `; ${hint}` : ''}`,
      node.get('kind', true) ?? keyNode,
      `kinds: ${TARGET_KINDS.join(', ')}`,
    );
    return;
  }
  const spec = targetKind(kind);
  const field = spec.field;
  const location = value[field] ?? value.url ?? value.path ?? value.base;
  if (typeof location !== 'string' || location === '') {
    at(ctx, 'error', 'target-invalid', `target \`${name}\` (${kind}) needs \`${field}\``, keyNode);
    return;
  }
  const headers: Record<string, string> = {};
  if (value.headers !== undefined) {
    if (typeof value.headers !== 'object' || value.headers === null || Array.isArray(value.headers)) {
      at(
        ctx,
        'error',
        'target-invalid',
        `target \`${name}\`: headers must be a mapping of name: value`,
        node.get('headers', true) ?? keyNode,
      );
    } else for (const [h, v] of Object.entries(value.headers)) headers[h] = String(v);
  }
  const known = ['kind', spec.field, ...spec.keys];
  for (const extra of Object.keys(value)) {
    if (![...known, 'url', 'path', 'base', 'description'].includes(extra)) {
      const hint = didYouMean(extra, known);
      at(
        ctx,
        'warning',
        'target-unknown-key',
        `target \`${name}\`: unknown key \`${extra}\`${hint ? `; ${hint}` : ''}`,
        keyNode,
      );
    }
  }
  fm.targets[name] = { name, span, kind, location, readonly: value.readonly === true, headers };
}

function addInput(ctx: Ctx, fm: Frontmatter, name: string, node: Node | null, keyNode: Node): void {
  const span = spanOf(ctx, keyNode);
  if (!IDENT.test(name))
    at(
      ctx,
      'error',
      'input-invalid',
      `input name \`${name}\` cannot be written as inputs.${name}`,
      keyNode,
      'use letters, digits and _',
    );
  if (node === null || isScalar(node)) {
    const value = node?.value;
    const type: InputType = typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string';
    const decl: InputDecl = { name, span, type, required: value === null || value === undefined };
    if (value !== null && value !== undefined) decl.default = value as string | number | boolean;
    fm.inputs[name] = decl;
    return;
  }
  if (isSeq(node)) {
    // `ports: [7000, 7010]`: a list input with that default, of numbers when every item is one.
    const items = node.toJSON() as unknown[];
    const of = items.length > 0 && items.every((item) => typeof item === 'number') ? 'number' : 'string';
    const decl: InputDecl = { name, span, type: 'list', of, required: false };
    const problem = listDefaultProblem(decl, items);
    if (problem) at(ctx, 'error', 'input-invalid', `input \`${name}\`: ${problem}`, node);
    else decl.default = items as (string | number)[];
    fm.inputs[name] = decl;
    return;
  }
  if (!isMap(node)) {
    at(ctx, 'error', 'input-invalid', `input \`${name}\` must be a mapping like { type: number, default: 30 }`, node);
    return;
  }
  const value = node.toJSON() as Record<string, unknown>;
  let type: InputType =
    typeof value.default === 'number' ? 'number' : typeof value.default === 'boolean' ? 'boolean' : 'string';
  if (value.type !== undefined) {
    if ((INPUT_DECL_TYPES as readonly string[]).includes(String(value.type))) type = value.type as InputType;
    else {
      const hint = didYouMean(String(value.type), INPUT_DECL_TYPES);
      at(
        ctx,
        'error',
        'input-invalid',
        `input \`${name}\`: unknown type \`${String(value.type)}\`${hint ? `; ${hint}` : ''}`,
        node.get('type', true) ?? keyNode,
        `types: ${INPUT_DECL_TYPES.join(', ')}`,
      );
    }
  }
  const decl: InputDecl = { name, span, type, required: value.default === undefined && value.required !== false };
  if (value.of !== undefined) {
    if (type === 'list' && (LIST_ITEM_TYPES as readonly unknown[]).includes(value.of))
      decl.of = value.of as InputDecl['of'];
    else
      at(
        ctx,
        'error',
        'input-invalid',
        type === 'list'
          ? `input \`${name}\`: a list's items are ${LIST_ITEM_TYPES.join(' or ')}, not \`${String(value.of)}\``
          : `input \`${name}\`: \`of\` is for a list input (type: list)`,
        node.get('of', true) ?? keyNode,
      );
  }
  if (type === 'list' && value.default !== undefined && value.default !== null) {
    const problem = listDefaultProblem(decl, value.default);
    if (problem)
      at(ctx, 'error', 'input-invalid', `input \`${name}\`: ${problem}`, node.get('default', true) ?? keyNode);
    else decl.default = value.default as (string | number)[];
  } else if (value.default !== undefined && value.default !== null)
    decl.default = value.default as string | number | boolean;
  if (typeof value.description === 'string') decl.description = value.description;
  if (value.pattern !== undefined) {
    const pattern = String(value.pattern);
    const problem = linearPatternProblem(pattern);
    if (problem === undefined) decl.pattern = pattern;
    else
      at(ctx, 'error', 'input-invalid', `input \`${name}\`: pattern ${problem}`, node.get('pattern', true) ?? keyNode);
  }
  if (Array.isArray(value.options)) decl.options = value.options.map((o) => (typeof o === 'number' ? o : String(o)));
  if (type === 'choice' && !decl.options?.length)
    at(
      ctx,
      'error',
      'input-invalid',
      `input \`${name}\` is a choice but has no options`,
      keyNode,
      'add options: [a, b, c]',
    );
  for (const extra of Object.keys(value)) {
    if (!INPUT_KEYS.includes(extra)) {
      const hint = didYouMean(extra, INPUT_KEYS);
      at(
        ctx,
        'warning',
        'input-unknown-key',
        `input \`${name}\`: unknown key \`${extra}\`${hint ? `; ${hint}` : ''}`,
        keyNode,
      );
    }
  }
  fm.inputs[name] = decl;
}

const INPUT_KEYS = ['type', 'default', 'description', 'pattern', 'options', 'required', 'of'];

/** Why a list input's default is not a list of its items' type (each judged as --input would), or undefined. */
function listDefaultProblem(decl: InputDecl, value: unknown): string | undefined {
  if (!Array.isArray(value)) return 'the default of a list is a YAML list, e.g. default: [7000, 7010]';
  const judged = inputValue(decl, value);
  return judged.ok ? undefined : `its default: ${judged.why}`;
}

function readSecrets(ctx: Ctx, fm: Frontmatter, pair: Pair<Node, Node | null>): void {
  const add = (decl: SecretDecl): void => {
    if (!IDENT.test(decl.name))
      at(
        ctx,
        'warning',
        'secret-invalid',
        `secret name \`${decl.name}\` cannot be written as secrets.${decl.name}`,
        pair.key as Node,
        'use letters, digits and _',
      );
    fm.secrets[decl.name] = decl;
  };
  if (isMap(pair.value)) {
    eachEntry(ctx, pair, (name, node, keyNode) => {
      const span = spanOf(ctx, keyNode);
      const value = node === null ? null : (node.toJSON() as unknown);
      if (value === null) add({ name, span, source: { from: 'env', env: name } });
      else if (typeof value === 'object' && value !== null && 'command' in value && typeof value.command === 'string')
        add({ name, span, source: { from: 'command', command: value.command } });
      else if (typeof value === 'object' && value !== null && 'env' in value && typeof value.env === 'string')
        add({ name, span, source: { from: 'env', env: value.env } });
      else
        at(
          ctx,
          'error',
          'secret-invalid',
          `secret \`${name}\` must be empty, { env: NAME } or { command: "..." }`,
          node ?? keyNode,
        );
    });
    return;
  }
  readNameList(ctx, pair, 'secrets', (name, span) => add({ name, span, source: { from: 'env', env: name } }));
}

function readRedact(ctx: Ctx, fm: Frontmatter, pair: Pair<Node, Node | null>): void {
  if (!isSeq(pair.value)) {
    at(
      ctx,
      'error',
      'redact-invalid',
      '`redact` must be a list, e.g. [email, bearer, card]',
      pair.value ?? (pair.key as Node),
    );
    return;
  }
  for (const item of pair.value.items as Node[]) {
    const span = spanOf(ctx, item);
    const value = item.toJSON() as unknown;
    if (typeof value === 'string' && (REDACT_PATTERNS as readonly string[]).includes(value)) {
      fm.redact.push({ name: value, span, pattern: value as (typeof REDACT_PATTERNS)[number] });
    } else if (typeof value === 'object' && value !== null && 'regex' in value && typeof value.regex === 'string') {
      const problem = linearPatternProblem(value.regex);
      if (problem === undefined) fm.redact.push({ name: value.regex, span, regex: value.regex });
      else
        at(
          ctx,
          'error',
          'redact-invalid',
          `redact regex ${problem}`,
          (isMap(item) ? (item.get('regex', true) as Node | undefined) : undefined) ?? item,
        );
    } else {
      const hint = typeof value === 'string' ? didYouMean(value, REDACT_PATTERNS) : '';
      at(
        ctx,
        'error',
        'redact-invalid',
        `unknown redaction pattern \`${String(value)}\`${hint ? `; ${hint}` : ''}`,
        item,
        `patterns: ${REDACT_PATTERNS.join(', ')}, or { regex: "..." }`,
      );
    }
  }
}

function readNameList(
  ctx: Ctx,
  pair: Pair<Node, Node | null>,
  key: 'secrets' | 'env',
  add: (name: string, span: Span) => void,
): void {
  const invalid = key === 'secrets' ? 'secret-invalid' : 'env-invalid';
  if (!isSeq(pair.value)) {
    at(ctx, 'error', invalid, `\`${key}\` must be a list of names, e.g. [API_KEY]`, pair.value ?? (pair.key as Node));
    return;
  }
  for (const item of pair.value.items as Node[]) {
    if (isScalar(item) && typeof item.value === 'string' && item.value !== '') add(item.value, spanOf(ctx, item));
    else at(ctx, 'error', invalid, `\`${key}\` entries must be names`, item);
  }
}

function eachEntry(
  ctx: Ctx,
  pair: Pair<Node, Node | null>,
  visit: (name: string, node: Node | null, keyNode: Node) => void,
): void {
  if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) return;
  if (!isMap(pair.value)) {
    at(ctx, 'error', 'frontmatter-shape', `\`${keyName(pair)}\` must be a mapping of name: definition`, pair.value);
    return;
  }
  for (const entry of pair.value.items as Pair<Node, Node | null>[]) visit(keyName(entry), entry.value, entry.key);
}

function keyName(pair: Pair<Node, Node | null>): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function scalarString(ctx: Ctx, pair: Pair<Node, Node | null>, key: string): string | undefined {
  if (isScalar(pair.value) && pair.value.value !== null) return String(pair.value.value);
  at(ctx, 'error', 'frontmatter-shape', `\`${key}\` must be text`, pair.value ?? pair.key);
  return undefined;
}

/** Where engine/document/profiles.ts reports, at the severity the catalogue gives each id. */
function yamlSite(ctx: Ctx): YamlSite {
  return {
    problem: (rule, message, node, hint) =>
      at(ctx, rule === 'profile-invalid' ? 'error' : 'warning', rule, message, node, hint),
    span: (node) => spanOf(ctx, node),
  };
}

function spanOf(ctx: Ctx, node: Node): Span {
  const [start, end] = node.range ?? [0, 0];
  return ctx.map.span(ctx.base + start, ctx.base + end);
}

function at<R extends RuleId>(
  ctx: Ctx,
  severity: NoInfer<SeverityOf<R>>,
  rule: R,
  message: string,
  node: Node,
  hint?: string,
): void {
  const [start, end] = node.range ?? [0, 0];
  report(ctx, severity, rule, message, start, end, hint);
}

function report<R extends RuleId>(
  ctx: Ctx,
  severity: NoInfer<SeverityOf<R>>,
  rule: R,
  message: string,
  start: number,
  end: number,
  hint?: string,
): void {
  const diagnostic: Diagnostic = { severity, rule, message, span: ctx.map.span(ctx.base + start, ctx.base + end) };
  if (hint !== undefined) diagnostic.hint = hint;
  ctx.diagnostics.push(diagnostic);
}
