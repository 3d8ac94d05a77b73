/**
 * Every check rule, once: the general ones (engine/check/rules/) and those about one step kind,
 * which live with their kind (engine/steps/<kind>/checks.ts). `check` runs them all after parsing
 * and building the graph. To add a rule: write it with `defineRule` or `stepRule`
 * (engine/check/rule.ts), give each id it reports an entry in engine/document/rule-ids.ts and a
 * row in runbooks/README.md's rule table, and list it here.
 */
import { confirmChecks } from '../steps/confirm/checks.js';
import { inputChecks } from '../steps/input/checks.js';
import { setChecks } from '../steps/set/checks.js';
import { shellChecks } from '../steps/shell/checks.js';
import { sqlChecks } from '../steps/sql/checks.js';
import { waitChecks } from '../steps/wait/checks.js';
import type { CheckRule } from './rule.js';
import { expectFail } from './rules/expect-fail.js';
import { frontmatterPlaceholders } from './rules/frontmatter-placeholders.js';
import { profiles } from './rules/profiles.js';
import { readsSkippableStep } from './rules/reads-skippable-step.js';
import { writeWithoutConfirm } from './rules/write-without-confirm.js';

export const CHECK_RULES: readonly CheckRule[] = [
  writeWithoutConfirm,
  frontmatterPlaceholders,
  profiles,
  readsSkippableStep,
  expectFail,
  ...sqlChecks,
  ...shellChecks,
  ...waitChecks,
  ...inputChecks,
  ...confirmChecks,
  ...setChecks,
];
