/**
 * The environment a shell step starts with: reset, as sudo and systemd give their children, so a
 * credential in the responder's environment whose name does not say so (`T_STRIPE_KEY=sk_live_…`)
 * never reaches a script (or its `env` output, and so the transcript). A runbook that needs more
 * declares the names under `env:` in its frontmatter.
 */
export const BASE_SHELL_ENV = ['PATH', 'HOME', 'USER', 'LOGNAME', 'LANG', 'LC_ALL', 'TERM', 'TZ', 'TMPDIR'] as const;

/** The host variables a shell step sees: the base set and the runbook's declared names, when set. */
export function shellEnvironment(
  host: Readonly<Record<string, string | undefined>>,
  declared: readonly string[],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of [...BASE_SHELL_ENV, ...declared]) {
    const value = host[name];
    if (value !== undefined) out[name] = value;
  }
  return out;
}
