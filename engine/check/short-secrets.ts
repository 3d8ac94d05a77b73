/**
 * Declared secrets too short to mask everywhere. A secret under 8 characters is masked only where
 * it stands as a whole word (masking it inside other words would shred ordinary output), so it
 * can show inside a longer token. `check` reads the values it can without side effects (the
 * environment and --secrets FILE, never a secret's command) and warns; `run` warns with the same
 * words about every value it resolved. Only lengths are reported, never values.
 */
import type { Diagnostic } from '../document/diagnostic.js';
import { severityOf } from '../document/rule-ids.js';
import type { Frontmatter } from '../document/frontmatter-model.js';
import { isShortSecret, SHORT_SECRET } from '../redact/redactor.js';

/** Why a short secret is a risk, for `check`'s warning and `run`'s. */
export function shortSecretMessage(name: string, length: number, from: string): string {
  return `secret \`${name}\` (${from}) is only ${length} character${length === 1 ? '' : 's'} long: a secret shorter than ${SHORT_SECRET} is masked only where it stands as a whole word, so it would show inside a longer word`;
}

export const SHORT_SECRET_HINT = `use a secret of at least ${SHORT_SECRET} characters (rotate it), or keep it out of output`;

/** A warning at its declaration for each declared secret whose value, from the file or the environment, is short. */
export function shortSecretWarnings(
  secrets: Frontmatter['secrets'],
  env: NodeJS.ProcessEnv,
  fromFile: Record<string, string>,
): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const [name, decl] of Object.entries(secrets)) {
    const found =
      fromFile[name] !== undefined
        ? { value: fromFile[name]!, from: 'from --secrets' }
        : decl.source.from === 'env'
          ? { value: env[decl.source.env] ?? '', from: `from $${decl.source.env}` }
          : null;
    if (found && isShortSecret(found.value)) {
      out.push({
        severity: severityOf('short-secret'),
        rule: 'short-secret',
        message: shortSecretMessage(name, Array.from(found.value).length, found.from),
        span: decl.span,
        hint: SHORT_SECRET_HINT,
      });
    }
  }
  return out;
}
