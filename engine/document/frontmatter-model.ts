/** The runbook's frontmatter, validated: targets, inputs, secrets, env names and redaction rules. */
import type { Span } from './position.js';
import type { ProfileDecl } from './profiles-model.js';

interface Declared {
  name: string;
  span: Span;
}

/**
 * A declared target: its kind (engine/targets/registry.ts) and where it is (`url`, `path` or
 * `base`, as its kind names it), with `${NAME}` still unread.
 */
export interface TargetDecl extends Declared {
  kind: string;
  location: string;
  readonly: boolean;
  headers: Record<string, string>;
}

export const INPUT_DECL_TYPES = ['string', 'number', 'boolean', 'choice', 'secret', 'list'] as const;
/** What a `list` input's items are (engine/document/input-value.ts). */
export const LIST_ITEM_TYPES = ['string', 'number'] as const;
export type InputType = (typeof INPUT_DECL_TYPES)[number];

export interface InputDecl extends Declared {
  type: InputType;
  default?: string | number | boolean | (string | number)[];
  /** A `list` input: the type of its items (default string). */
  of?: (typeof LIST_ITEM_TYPES)[number];
  description?: string;
  pattern?: string;
  options?: (string | number)[];
  required: boolean;
}

export type SecretSource = { from: 'env'; env: string } | { from: 'command'; command: string };

export interface SecretDecl extends Declared {
  source: SecretSource;
}

export const REDACT_PATTERNS = ['email', 'bearer', 'card', 'phone', 'ipv4', 'jwt', 'aws-key'] as const;
export type RedactRule = Declared & ({ pattern: (typeof REDACT_PATTERNS)[number] } | { regex: string });

export interface Frontmatter {
  title?: string;
  id?: string;
  targets: Record<string, TargetDecl>;
  inputs: Record<string, InputDecl>;
  secrets: Record<string, SecretDecl>;
  /** Environment variable names expressions may read as `env.NAME`. */
  env: Record<string, Declared>;
  redact: RedactRule[];
  /** Environment profiles by name (`profiles:`): only the runbook's own, never an included one's. */
  profiles?: Record<string, ProfileDecl>;
  /** `default-profile:`: the profile a run uses when `--profile` is not given. */
  defaultProfile?: Declared;
  /** Where the frontmatter block stands, when there is one. */
  span?: Span;
  /**
   * The files (this runbook, or a runbook it includes) whose frontmatter is not valid YAML, so
   * nothing in it could be read: references to targets, inputs, secrets and env names declared
   * there are not reported as undeclared.
   */
  unreadable?: string[];
}

export function emptyFrontmatter(): Frontmatter {
  return { targets: {}, inputs: {}, secrets: {}, env: {}, redact: [] };
}
