/**
 * The step kinds, by directive name. Adding a kind means adding one module and one line here.
 * Step modules load their drivers (pg, better-sqlite3, fetch helpers) only when a step runs,
 * so that `check` stays fast.
 */
import { assert } from './assert.js';
import { confirm } from './confirm.js';
import { http } from './http.js';
import { include } from './include.js';
import { input } from './input.js';
import { note } from './note.js';
import type { StepHandler } from './handler.js';
import type { StepSpec } from './schema.js';
import { STEP_KIND_NAMES, type StepKind } from '../document/step-kinds.js';
import { set } from './set.js';
import { shell } from './shell.js';
import { sql } from './sql.js';
import { wait } from './wait.js';

export const stepSpecs = {
  sql,
  http,
  shell,
  confirm,
  input,
  assert,
  wait,
  set,
  note,
  include,
} as const satisfies Record<StepKind, StepHandler>;

export type { StepKind } from '../document/step-kinds.js';

export const STEP_KINDS = STEP_KIND_NAMES as readonly StepKind[];

export function isStepKind(name: string): name is StepKind {
  return Object.hasOwn(stepSpecs, name);
}

export function stepSpec(kind: StepKind): StepSpec {
  return stepSpecs[kind];
}

export function stepHandler(kind: StepKind): StepHandler {
  return stepSpecs[kind];
}
