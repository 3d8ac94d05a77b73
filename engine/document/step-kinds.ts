/**
 * The names of the step kinds, as the document knows them. engine/steps/registry.ts maps each to
 * its spec and handler and is checked against this list, so the document needs nothing from steps/.
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
