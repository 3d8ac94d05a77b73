/**
 * Every diagnostic id Stepwise reports, with its severity and what it means: one list, so an id
 * at a call site is checked by the compiler (`Diagnostic.rule` is a `RuleId`), a severity cannot
 * drift from the catalogue (the report helpers accept only the severity listed here), and the
 * rule table in runbooks/README.md ("What `check` reports") is tested against it
 * (test/check/rule-table.test.ts). Ids are stable: users' CI and editors key on them, so an id is
 * added here, never renamed.
 *
 * Plain data: the document, the graph, the check rules and the CLI all report these ids, so this
 * module imports nothing.
 */

export type Severity = 'error' | 'warning';

export interface RuleEntry {
  /** The severity the id is reported at. */
  severity: Severity;
  /** The one case it is reported at the other severity, and when (the README's severity column says the same). */
  exception?: { severity: Severity; when: string };
  /** What it means, in one line. */
  doc: string;
}

export const RULE_IDS = {
  // The file itself (cli/load.ts, engine/document/parse.ts, cli/commands/check.ts).
  'cannot-read': {
    severity: 'error',
    doc: 'the runbook file cannot be read (missing, a directory, a device, no permission)',
  },
  'too-large': { severity: 'error', doc: 'the runbook file is over the 10 MiB limit' },
  'not-text': { severity: 'error', doc: 'the file holds a NUL byte: it is not text' },
  'nesting-too-deep': {
    severity: 'error',
    doc: 'lists, block quotes and `:::` containers nested more than 256 levels deep: the file is read no further',
  },
  'internal-error': { severity: 'error', doc: 'check itself failed on the file: a bug in Stepwise' },

  // The frontmatter (engine/document/frontmatter.ts).
  'frontmatter-yaml': {
    severity: 'error',
    exception: { severity: 'warning', when: 'in a file with no steps' },
    doc: 'the frontmatter is not valid YAML (the first error only)',
  },
  'frontmatter-shape': {
    severity: 'error',
    doc: 'the frontmatter, or one of its keys, is not of the shape Stepwise reads',
  },
  'frontmatter-unknown-key': { severity: 'warning', doc: 'a frontmatter key close to a Stepwise key (a likely typo)' },
  'target-invalid': {
    severity: 'error',
    doc: 'a target of the wrong shape, of unknown kind, or whose placeholders use what a target cannot',
  },
  'target-unknown-key': { severity: 'warning', doc: 'a key a target does not have; it is ignored' },
  'input-invalid': {
    severity: 'error',
    doc: 'an input of the wrong shape, or a pattern RE2 cannot run (also on an `::input` step)',
  },
  'input-unknown-key': { severity: 'warning', doc: 'a key an input does not have; it is ignored' },
  'secret-invalid': {
    severity: 'error',
    exception: { severity: 'warning', when: 'for a secret name that cannot be written as `secrets.NAME`' },
    doc: 'a secret of the wrong shape',
  },
  'env-invalid': { severity: 'error', doc: '`env` is not a list of names' },
  'profile-invalid': {
    severity: 'error',
    doc: "a profile of the wrong shape, naming an undeclared target or input, changing a target's kind, giving an input a value it does not accept (or a secret input any value), or a `default-profile` that names no profile",
  },
  'profile-unknown-key': {
    severity: 'warning',
    doc: 'a key a profile, or a target in a profile, does not have; it is ignored',
  },
  'redact-invalid': { severity: 'error', doc: 'a `redact` entry that is not a known pattern or a regex RE2 can run' },

  // Directives and steps (engine/document/parse.ts, step-builder.ts, attributes.ts, include.ts).
  'unknown-directive': {
    severity: 'error',
    doc: 'a directive close to a step kind, or one carrying what only steps carry',
  },
  'malformed-directive': { severity: 'error', doc: 'a line that starts like a step directive but does not parse' },
  'if-form': { severity: 'error', doc: '`if` written as a leaf directive instead of a container' },
  'stray-fence': {
    severity: 'warning',
    doc: 'a line of only colons that closes nothing: an outer region closed early, its fence no longer than one inside it',
  },
  'each-form': {
    severity: 'error',
    doc: '`each` written as a leaf directive, or an `each` inside another one',
  },
  'each-name': {
    severity: 'error',
    doc: "an `each`'s `as` that is not a name, or that is already a step id or a name expressions use",
  },
  'each-items': { severity: 'error', doc: 'an `each` whose `items` is known, before the run, not to be a list' },
  'loop-result-array': {
    severity: 'error',
    doc: 'a step inside an `each` read from outside it as one result (`replay.status`): it is a list',
  },
  'container-without-code': {
    severity: 'error',
    doc: 'a `:::sql`/`:::http`/`:::shell` container with no fenced code block',
  },
  'container-extra-content': { severity: 'error', doc: 'a container holding more than its one code block' },
  'unexpected-content': { severity: 'error', doc: 'a container of a kind that holds no content, holding some' },
  'missing-body': { severity: 'error', doc: 'a leaf `sql`/`shell`/`http` step with nothing to run' },
  'missing-attribute': { severity: 'error', doc: 'a required attribute is missing' },
  'missing-label': { severity: 'error', doc: 'a step that needs a label has none' },
  'attribute-invalid': {
    severity: 'error',
    doc: 'an attribute value of the wrong type, or a value name that cannot be read back',
  },
  'unknown-attribute': { severity: 'warning', doc: 'an attribute the step does not have; it is ignored' },
  'invalid-id': { severity: 'error', doc: 'a step id that is not a valid name' },
  'duplicate-id': { severity: 'error', doc: 'two steps with one id' },
  'expression-syntax': {
    severity: 'error',
    doc: 'an expression or placeholder that is not valid JavaScript, or that assigns',
  },
  'include-invalid': {
    severity: 'error',
    doc: 'an include whose `src` holds placeholders, or whose `as` is not a name',
  },
  'include-cycle': { severity: 'error', doc: 'an include that would include itself again' },
  'include-unreadable': { severity: 'error', doc: 'an included file that cannot be read' },
  'include-conflict': {
    severity: 'warning',
    doc: "an included runbook defines a target, input or secret differently; the runbook's own is used",
  },
  'include-unknown-input': {
    severity: 'error',
    doc: "an include's `with` names an input the included runbook does not declare",
  },
  'include-missing-input': {
    severity: 'error',
    doc: 'an include with `with` leaves a required input of the included runbook unbound, and this runbook does not declare it',
  },
  'include-input-invalid': {
    severity: 'error',
    doc: "a `with` value that does not fit the input's type, options or pattern, binds it twice, or reads a step",
  },
  'include-target': {
    severity: 'error',
    doc: "an include's `target` names a target either runbook does not declare or binds targets of different kinds, or an unmapped included target's headers read an input `with` binds",
  },

  // The graph (engine/graph/).
  'unknown-reference': { severity: 'error', doc: 'an expression, `needs` or `wait` naming an unknown step or name' },
  'unknown-input': { severity: 'error', doc: '`inputs.X` not declared in the frontmatter' },
  'undeclared-secret': { severity: 'error', doc: '`secrets.X` not declared in the frontmatter' },
  'undeclared-env': { severity: 'error', doc: '`env.X` not declared in the frontmatter' },
  'unknown-target': { severity: 'error', doc: 'a step naming an undeclared target' },
  'target-kind': { severity: 'error', doc: 'a step naming a target of the wrong kind' },
  'missing-target': { severity: 'error', doc: 'a step with no target, and no single one that fits' },
  cycle: { severity: 'error', doc: 'steps that depend on each other' },

  // Check rules (engine/check/rules/, engine/steps/<kind>/checks.ts, engine/check/short-secrets.ts).
  'write-without-confirm': { severity: 'warning', doc: 'a side effect that no confirm guards' },
  'reads-skippable-step': {
    severity: 'warning',
    doc: 'an expression reads a step that may not have passed, without testing its `outcome`',
  },
  'sql-several-statements': { severity: 'error', doc: 'a sql step with more than one statement without `script=true`' },
  'sql-unknown-statement': { severity: 'warning', doc: 'a statement Stepwise does not recognise: taken to write' },
  'transaction-control': {
    severity: 'error',
    doc: '`BEGIN`/`COMMIT`/`ROLLBACK`… in a sql step, which is a transaction already',
  },
  'placeholder-in-quotes': {
    severity: 'error',
    doc: 'a placeholder inside a SQL string, quoted identifier or comment',
  },
  'readonly-write': { severity: 'error', doc: '`readonly=true` on a sql statement that certainly writes' },
  'shell-placeholder-context': { severity: 'error', doc: 'a placeholder where no shell value can expand safely' },
  'wait-interval': { severity: 'error', doc: 'a `wait` with `every` under 100ms' },
  'danger-without-phrase': { severity: 'error', doc: 'a `danger` confirm without `phrase`' },
  'confirm-on-fail': { severity: 'error', doc: '`on-fail=continue` on a confirm (write `on-decline=skip`)' },
  'decline-skips-nothing': { severity: 'warning', doc: 'a confirm with `on-decline=skip` that guards no step' },
  'expect-fail-invalid': {
    severity: 'error',
    doc: '`expect=fail` on a gate (confirm, input), an include, or a `severity=warn` assert',
  },
  'reserved-name': { severity: 'error', doc: 'a `set` value named `outcome` or `error`' },
  'short-secret': { severity: 'warning', doc: 'a declared secret whose value is under 8 characters' },
} as const satisfies Record<string, RuleEntry>;

/** A diagnostic id: one of the catalogue's keys. */
export type RuleId = keyof typeof RULE_IDS;

/** The severities an id may be reported at: its own, and its exception's. */
export type SeverityOf<R extends RuleId> =
  | (typeof RULE_IDS)[R]['severity']
  | ((typeof RULE_IDS)[R] extends { exception: { severity: infer S extends Severity } } ? S : never);

export function isRuleId(id: string): id is RuleId {
  return Object.hasOwn(RULE_IDS, id);
}

/** The severity an id is reported at (not its exception). */
export function severityOf(id: RuleId): Severity {
  return RULE_IDS[id].severity;
}

/** The README's severity cell: `error`, or `error (warning in a file with no steps)`. */
export function severityText(id: RuleId): string {
  const entry: RuleEntry = RULE_IDS[id];
  return entry.exception ? `${entry.severity} (${entry.exception.severity} ${entry.exception.when})` : entry.severity;
}
