/**
 * Reads the frontmatter's `profiles:` and `default-profile:` (engine/document/profiles-model.ts).
 * Only the shape is judged here, each problem at its YAML node; whether a profile names declared
 * targets and inputs, and gives values they accept, is a check rule
 * (engine/check/rules/profiles.ts), since included runbooks declare targets and inputs too.
 */
import { isMap, isScalar, type Node, type Pair } from 'yaml';
import type { Frontmatter } from './frontmatter-model.js';
import type { Span } from './position.js';
import { startQuestion, type ProfileDecl, type ProfileTarget } from './profiles-model.js';
import { didYouMean } from './suggest.js';
import { kindOfLocation } from '../targets/registry.js';

/** How the frontmatter reader lets this module report a problem at a YAML node, and place one. */
export interface YamlSite {
  problem(rule: 'profile-invalid' | 'profile-unknown-key', message: string, node: Node, hint?: string): void;
  span(node: Node): Span;
}

const PROFILE_KEYS = ['targets', 'inputs', 'confirm-start', 'description'];
const TARGET_KEYS = ['kind', 'url', 'path', 'base', 'readonly', 'headers'];
const NAME = /^[A-Za-z][\w-]*$/;

/** `profiles:` or `default-profile:`, read into `fm`. */
export function readProfileKey(site: YamlSite, fm: Frontmatter, pair: Pair<Node, Node | null>): void {
  const key = pair.key as Node;
  if (isScalar(key) && key.value === 'default-profile') {
    if (isScalar(pair.value) && typeof pair.value.value === 'string' && pair.value.value !== '')
      fm.defaultProfile = { name: pair.value.value, span: site.span(pair.value) };
    else site.problem('profile-invalid', '`default-profile` must be the name of a profile', pair.value ?? key);
    return;
  }
  fm.profiles = {};
  if (!isMap(pair.value)) {
    site.problem(
      'profile-invalid',
      '`profiles` must be a mapping of name: { targets, inputs, confirm-start }',
      pair.value ?? key,
      'e.g. profiles: { staging: { targets: { db: "${STAGING_DB_URL}" } } }',
    );
    return;
  }
  for (const entry of pair.value.items as Pair<Node, Node | null>[]) {
    const profile = readProfile(site, nameOf(entry.key), entry.key, entry.value);
    if (profile) fm.profiles[profile.name] = profile;
  }
}

function readProfile(site: YamlSite, name: string, keyNode: Node, node: Node | null): ProfileDecl | undefined {
  if (!NAME.test(name)) {
    site.problem(
      'profile-invalid',
      `profile name \`${name}\` cannot be given as --profile NAME`,
      keyNode,
      'start with a letter; use letters, digits, _ and -',
    );
    return undefined;
  }
  const profile: ProfileDecl = { name, span: site.span(keyNode), targets: {}, inputs: {}, confirmStart: null };
  if (node === null || (isScalar(node) && node.value === null)) return profile;
  if (!isMap(node)) {
    site.problem('profile-invalid', `profile \`${name}\` must be a mapping like { targets: ..., inputs: ... }`, node);
    return undefined;
  }
  for (const pair of node.items as Pair<Node, Node | null>[]) {
    const key = nameOf(pair.key);
    if (key === 'targets')
      eachEntry(site, name, pair, (target, value, at) => {
        const read = readTarget(site, name, target, at, value);
        if (read) profile.targets[target] = read;
      });
    else if (key === 'inputs')
      eachEntry(site, name, pair, (input, value, at) => {
        if (isScalar(value) && value.value !== null && ['string', 'number', 'boolean'].includes(typeof value.value))
          profile.inputs[input] = { name: input, span: site.span(at), value: value.value as string | number | boolean };
        else
          site.problem(
            'profile-invalid',
            `profile \`${name}\`: input \`${input}\` must be a single value (text, a number, true or false)`,
            value ?? at,
          );
      });
    else if (key === 'confirm-start') profile.confirmStart = readConfirmStart(site, name, pair);
    else if (key !== 'description') {
      const hint = didYouMean(key, PROFILE_KEYS);
      site.problem(
        'profile-unknown-key',
        `profile \`${name}\`: unknown key \`${key}\`${hint ? `; ${hint}` : ''}; it is ignored`,
        pair.key as Node,
        `a profile's keys: ${PROFILE_KEYS.join(', ')}`,
      );
    }
  }
  return profile;
}

function readConfirmStart(site: YamlSite, profile: string, pair: Pair<Node, Node | null>): string | null {
  const value = isScalar(pair.value) ? pair.value.value : undefined;
  if (value === true) return startQuestion(profile);
  if (value === false) return null;
  if (typeof value === 'string' && value.trim() !== '') return value;
  site.problem(
    'profile-invalid',
    `profile \`${profile}\`: \`confirm-start\` must be true, false or the question to ask`,
    pair.value ?? (pair.key as Node),
  );
  // Fail safe: a start confirm written wrong still asks.
  return startQuestion(profile);
}

function readTarget(
  site: YamlSite,
  profile: string,
  name: string,
  keyNode: Node,
  node: Node | null,
): ProfileTarget | undefined {
  const target: ProfileTarget = { name, span: site.span(keyNode) };
  if (isScalar(node) && typeof node.value === 'string' && node.value !== '') {
    target.location = node.value;
    const kind = kindOfLocation(node.value)?.kind;
    if (kind !== undefined) target.kind = kind;
    return target;
  }
  if (!isMap(node)) {
    site.problem(
      'profile-invalid',
      `profile \`${profile}\`: target \`${name}\` must be a URL or a mapping like { url: ..., readonly: true }`,
      node ?? keyNode,
    );
    return undefined;
  }
  const value = node.toJSON() as Record<string, unknown>;
  for (const key of Object.keys(value)) {
    if (TARGET_KEYS.includes(key) || key === 'description') continue;
    const hint = didYouMean(key, TARGET_KEYS);
    site.problem(
      'profile-unknown-key',
      `profile \`${profile}\`: target \`${name}\`: unknown key \`${key}\`${hint ? `; ${hint}` : ''}; it is ignored`,
      keyNode,
      `a profile may change a target's ${TARGET_KEYS.slice(1).join(', ')}`,
    );
  }
  const location = value.url ?? value.path ?? value.base;
  if (location !== undefined) {
    if (typeof location === 'string' && location !== '') target.location = location;
    else site.problem('profile-invalid', `profile \`${profile}\`: target \`${name}\`: its location must be text`, node);
  }
  if (typeof value.kind === 'string') target.kind = value.kind;
  else if (target.location !== undefined && value.url !== undefined) {
    const kind = kindOfLocation(target.location)?.kind;
    if (kind !== undefined) target.kind = kind;
  }
  if (value.readonly !== undefined) {
    if (typeof value.readonly === 'boolean') target.readonly = value.readonly;
    else
      site.problem(
        'profile-invalid',
        `profile \`${profile}\`: target \`${name}\`: readonly must be true or false`,
        node.get('readonly', true) as Node,
      );
  }
  if (value.headers !== undefined) {
    if (typeof value.headers === 'object' && value.headers !== null && !Array.isArray(value.headers))
      target.headers = Object.fromEntries(Object.entries(value.headers).map(([h, v]) => [h, String(v)]));
    else
      site.problem(
        'profile-invalid',
        `profile \`${profile}\`: target \`${name}\`: headers must be a mapping of name: value`,
        node.get('headers', true) as Node,
      );
  }
  return target;
}

function eachEntry(
  site: YamlSite,
  profile: string,
  pair: Pair<Node, Node | null>,
  visit: (name: string, node: Node | null, keyNode: Node) => void,
): void {
  if (pair.value === null || (isScalar(pair.value) && pair.value.value === null)) return;
  if (!isMap(pair.value)) {
    site.problem(
      'profile-invalid',
      `profile \`${profile}\`: \`${nameOf(pair.key)}\` must be a mapping of name: value`,
      pair.value,
    );
    return;
  }
  for (const entry of pair.value.items as Pair<Node, Node | null>[]) visit(nameOf(entry.key), entry.value, entry.key);
}

function nameOf(node: unknown): string {
  return isScalar(node) ? String(node.value) : String(node);
}
