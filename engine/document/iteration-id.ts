/**
 * How one iteration of a loop's step is named in events and transcripts: `replay[3]` is the
 * fourth iteration of step `replay` (runbooks/README.md, "Loops"). The runner makes these ids
 * (engine/run/loop.ts); answers, drills, the reporter, reports and the TUI read them back here.
 * Plain string functions: no parser, so a renderer may import this alone.
 */

const ITERATION = /^(.+)\[(\d+)\]$/;

/** The id iteration `index` of step `stepId` is recorded under. */
export function iterationId(stepId: string, index: number): string {
  return `${stepId}[${index}]`;
}

/** `replay[3]` as its step and index; undefined for an id that names no iteration. */
export function parseIterationId(id: string): { stepId: string; index: number } | undefined {
  const m = ITERATION.exec(id);
  return m ? { stepId: m[1]!, index: Number(m[2]) } : undefined;
}

/** The step an id belongs to: `replay[3]` → `replay`; a step's own id as it is. */
export function ownStepId(id: string): string {
  return parseIterationId(id)?.stepId ?? id;
}
