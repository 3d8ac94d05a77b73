/** A step kind in full: its static spec (for check and the graph) and how it plans and runs. */
import type { StepRunner } from '../run/context.js';
import type { StepSpec } from './schema.js';

export type StepHandler = StepSpec & StepRunner;

/** The text an `attr` template holds, rendered; undefined when the step has no such attribute. */
export function attrTemplate(step: { attributes: Record<string, import('./schema.js').AttributeValue> }, name: string) {
  const value = step.attributes[name];
  return value?.type === 'template' ? value.template : undefined;
}

export function attrNumber(
  step: { attributes: Record<string, import('./schema.js').AttributeValue> },
  name: string,
): number | undefined {
  const value = step.attributes[name];
  return value?.type === 'integer' ? value.value : value?.type === 'duration' ? value.ms : undefined;
}

export function firstLine(text: string, max = 72): string {
  const line =
    text
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l !== '') ?? '';
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}
