/**
 * A profile (frontmatter `profiles:`) may change where a declared target points and the values of
 * declared inputs, nothing else: naming a target or input nobody declared, changing a target's
 * kind, giving an input a value it would refuse from `--input`, or a `default-profile` naming no
 * profile is `profile-invalid`, at the name in the YAML, with the closest declared name. Targets
 * and inputs an included runbook declares count: they are the run's too.
 */
import type { InputDecl } from '../../document/frontmatter-model.js';
import type { ProfileInput } from '../../document/profiles-model.js';
import { didYouMean } from '../../document/suggest.js';
import { inputValue } from '../../document/input-value.js';
import { defineRule } from '../rule.js';

export const profiles = defineRule({
  name: 'profiles',
  reports: ['profile-invalid'],
  *check({ document }) {
    const fm = document.frontmatter;
    const all = fm.profiles ?? {};
    const fix = (declared: Record<string, unknown>, what: string): string =>
      `declare it under ${what}: first, or remove it from the profile (declared: ${Object.keys(declared).join(', ') || 'none'})`;
    for (const profile of Object.values(all)) {
      for (const target of Object.values(profile.targets)) {
        const decl = fm.targets[target.name];
        if (decl === undefined) {
          const hint = didYouMean(target.name, Object.keys(fm.targets));
          yield {
            rule: 'profile-invalid',
            message: `profile \`${profile.name}\`: the runbook declares no target \`${target.name}\`${hint ? `; ${hint}` : ''}`,
            span: target.span,
            hint: fix(fm.targets, 'targets'),
          };
        } else if (target.kind !== undefined && target.kind !== decl.kind)
          yield {
            rule: 'profile-invalid',
            message: `profile \`${profile.name}\`: target \`${target.name}\` is declared ${decl.kind}, and a profile cannot make it ${target.kind}`,
            span: target.span,
            hint: 'a profile changes where a target points (url, path or base), readonly and headers; declare another target for another kind',
          };
      }
      for (const input of Object.values(profile.inputs)) {
        const decl = fm.inputs[input.name];
        if (decl === undefined) {
          const hint = didYouMean(input.name, Object.keys(fm.inputs));
          yield {
            rule: 'profile-invalid',
            message: `profile \`${profile.name}\`: the runbook declares no input \`${input.name}\`${hint ? `; ${hint}` : ''}`,
            span: input.span,
            hint: fix(fm.inputs, 'inputs'),
          };
          continue;
        }
        const problem = valueProblem(decl, input);
        if (problem)
          yield {
            rule: 'profile-invalid',
            message: `profile \`${profile.name}\`: input \`${input.name}\`: ${problem}`,
            span: input.span,
            hint: `give a value \`--input ${input.name}=...\` would accept`,
          };
      }
    }
    if (fm.defaultProfile !== undefined && !Object.hasOwn(all, fm.defaultProfile.name)) {
      const hint = didYouMean(fm.defaultProfile.name, Object.keys(all));
      yield {
        rule: 'profile-invalid',
        message: `default-profile \`${fm.defaultProfile.name}\` is not one of the profiles${hint ? `; ${hint}` : ''}`,
        span: fm.defaultProfile.span,
        hint: `profiles: ${Object.keys(all).join(', ') || 'none'}`,
      };
    }
  },
});

/**
 * Why `--input` would refuse this value, as far as `check` can tell without the runner: its type,
 * its options, its pattern. A run checks it again exactly as it checks `--input` (engine/run/prepare.ts).
 */
function valueProblem(decl: InputDecl, input: ProfileInput): string | undefined {
  if (decl.type === 'secret')
    return 'it is a secret input, and a profile would keep its value in the runbook for anyone who reads it; give it with --input, or read it from a declared secret';
  const judged = inputValue(decl, input.value);
  // A pattern that does not compile is reported as input-invalid.
  return judged.ok || judged.why.startsWith('its pattern ') ? undefined : judged.why;
}
