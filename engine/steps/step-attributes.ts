/** A step's typed attributes, read for what a kind needs of them. */
import type { AttributeValue } from '../document/attribute-types.js';

type WithAttributes = { attributes: Record<string, AttributeValue> };

/** The template an attribute holds; undefined when the step has no such attribute. */
export function attrTemplate(step: WithAttributes, name: string) {
  const value = step.attributes[name];
  return value?.type === 'template' ? value.template : undefined;
}

/** An integer or duration attribute (a duration in ms); undefined when the step has none. */
export function attrNumber(step: WithAttributes, name: string): number | undefined {
  const value = step.attributes[name];
  return value?.type === 'integer' ? value.value : value?.type === 'duration' ? value.ms : undefined;
}
