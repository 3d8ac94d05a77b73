/**
 * The profile a run uses, and what it changes: the declared targets with the profile's overrides
 * applied, and its input values. Precedence, lowest first: the runbook's own definitions, the
 * profile, then `--target` and `--input` (applied after this, by resolveTargets and prepareInputs).
 */
import type { Frontmatter, TargetDecl } from '../document/frontmatter-model.js';
import type { ProfileDecl } from '../document/profiles-model.js';
import { closest } from '../document/suggest.js';
import { setOwn } from './own-property.js';
import { PrepareError } from './prepare.js';

/** What a session needs of the chosen profile: its name (for run.started) and its start question. */
export interface RunProfile {
  name: string;
  confirmStart: string | null;
}

/**
 * The profile `--profile NAME` names, else `default-profile:`, else none (the runbook's own
 * definitions). A runbook that marks a profile `confirm-start` must have one chosen: running it
 * unchosen would reach whatever its base definitions point at without the question.
 */
export function chooseProfile(fm: Frontmatter, requested: string | undefined): ProfileDecl | null {
  const profiles = fm.profiles ?? {};
  const names = Object.keys(profiles);
  if (requested !== undefined) {
    if (Object.hasOwn(profiles, requested)) return profiles[requested]!;
    const near = closest(requested, names);
    throw new PrepareError(
      names.length === 0
        ? `--profile ${requested}: the runbook has no profiles`
        : `--profile ${requested}: the runbook has no profile \`${requested}\`${near ? ` (did you mean ${near}?)` : ''}; its profiles: ${names.join(', ')}`,
      4,
    );
  }
  if (fm.defaultProfile !== undefined && Object.hasOwn(profiles, fm.defaultProfile.name))
    return profiles[fm.defaultProfile.name]!;
  const asking = names.filter((name) => profiles[name]!.confirmStart !== null);
  if (asking.length > 0)
    throw new PrepareError(
      `the runbook has profiles and ${asking.map((n) => `\`${n}\``).join(', ')} ${asking.length === 1 ? 'asks' : 'ask'} to confirm the start: choose one with --profile NAME (${names.join(', ')}), or name one under default-profile:`,
      4,
    );
  return null;
}

/**
 * `resume`: the profile the run started with (run.started's `profile`), whatever the runbook's
 * default is now; `--profile` may only repeat it.
 */
export function recordedProfile(
  fm: Frontmatter,
  recorded: string | undefined,
  requested: string | undefined,
): ProfileDecl | null {
  if (requested !== undefined && requested !== recorded)
    throw new PrepareError(
      `--profile ${requested}: the run started ${recorded === undefined ? 'without a profile' : `with profile \`${recorded}\``}, and a resumed run keeps it; leave out --profile${recorded === undefined ? '' : ` or give --profile ${recorded}`}`,
      4,
    );
  if (recorded === undefined) return null;
  const profile = fm.profiles?.[recorded];
  if (profile === undefined)
    throw new PrepareError(`the run started with profile \`${recorded}\`, which its runbook no longer has`, 2);
  return profile;
}

/** The declared targets with the profile's overrides: where each points, readonly, headers (merged by name). */
export function profileTargets(
  declared: Record<string, TargetDecl>,
  profile: ProfileDecl | null,
): Record<string, TargetDecl> {
  if (profile === null) return declared;
  const out: Record<string, TargetDecl> = { ...declared };
  for (const [name, change] of Object.entries(profile.targets)) {
    const decl = declared[name];
    // `check` refuses a profile naming an undeclared target or changing a kind; a run never gets here with one.
    if (decl === undefined || (change.kind !== undefined && change.kind !== decl.kind))
      throw new PrepareError(
        `profile \`${profile.name}\`: target \`${name}\` cannot be overridden; run stepwise check`,
        2,
      );
    out[name] = {
      ...decl,
      location: change.location ?? decl.location,
      readonly: change.readonly ?? decl.readonly,
      headers: { ...decl.headers, ...change.headers },
    };
  }
  return out;
}

/** The profile's input values as `--input` gives them (text), to be checked the same way. */
export function profileInputs(profile: ProfileDecl | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const input of Object.values(profile?.inputs ?? {})) setOwn(out, input.name, String(input.value));
  return out;
}

export function runProfile(profile: ProfileDecl | null): RunProfile | undefined {
  return profile === null ? undefined : { name: profile.name, confirmStart: profile.confirmStart };
}
