/**
 * Environment profiles (frontmatter `profiles:`): named sets of overrides for the declared
 * targets and inputs, chosen with `--profile NAME` (or `default-profile:`). Plain data, so the
 * check cache can keep it; what a run does with it is engine/run/profile.ts.
 */
import type { Span } from './position.js';

/** A profile's override of one declared target: where it points, readonly, headers (never its kind). */
export interface ProfileTarget {
  name: string;
  span: Span;
  /** The kind written (`kind:`) or read from a bare URL: must be the declared target's. */
  kind?: string;
  location?: string;
  readonly?: boolean;
  /** Merged over the declared target's headers, name by name. */
  headers?: Record<string, string>;
}

/** A profile's value for one declared input, as written; checked like `--input name=value`. */
export interface ProfileInput {
  name: string;
  span: Span;
  value: string | number | boolean;
}

export interface ProfileDecl {
  name: string;
  span: Span;
  targets: Record<string, ProfileTarget>;
  inputs: Record<string, ProfileInput>;
  /** `confirm-start`: the question asked before the first step, or null when the run starts unasked. */
  confirmStart: string | null;
}

/** The question `confirm-start: true` asks. */
export function startQuestion(profile: string): string {
  return `You are about to run against ${profile.toUpperCase()}. Continue?`;
}

/** The id a profile's start confirm is asked and recorded under: a colon keeps it apart from every step id. */
export function startGateId(profile: string): string {
  return `profile:${profile}`;
}
