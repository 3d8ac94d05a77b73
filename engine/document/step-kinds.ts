/**
 * The names of the step kinds. The document no longer needs them (the parser is given the specs,
 * ParseOptions `specs`); the step kinds are those of engine/steps/registry.ts, whose `StepKind`
 * is the type to use. This list stays only while engine/check/rule.ts imports its `StepKind`
 * from here; engine/steps/registry.ts holds it equal to its own kinds.
 */
export const STEP_KIND_NAMES = [
  'sql',
  'http',
  'shell',
  'confirm',
  'input',
  'assert',
  'wait',
  'set',
  'note',
  'include',
] as const;

export type StepKind = (typeof STEP_KIND_NAMES)[number];
