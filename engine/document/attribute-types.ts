/**
 * Attribute types: what a step kind's attribute may hold, and the typed value validation gives.
 * They belong to the document (engine/document/attributes.ts validates them); each step kind's
 * spec (engine/steps/) declares its attributes with them.
 */
import type { Expression, Template } from './template-types.js';
import type { Span } from './position.js';

export type AttributeType =
  | { type: 'template' }
  | { type: 'expression' }
  | { type: 'boolean' }
  | { type: 'duration' }
  | { type: 'integer'; min: number }
  | { type: 'enum'; values: readonly string[] }
  | { type: 'step-ref' }
  | { type: 'step-refs' }
  | { type: 'status-list' }
  | { type: 'target' };

export type AttributeSpec = AttributeType & { required?: boolean; doc: string };

/** An HTTP status range, inclusive: `200` is 200..200, `2xx` is 200..299. */
export interface StatusRange {
  from: number;
  to: number;
}

export type AttributeValue =
  | { type: 'template'; template: Template }
  | { type: 'expression'; expression: Expression }
  | { type: 'boolean'; value: boolean; span: Span }
  | { type: 'duration'; ms: number; span: Span }
  | { type: 'integer'; value: number; span: Span }
  | { type: 'enum'; value: string; span: Span }
  | { type: 'step-ref'; id: string; span: Span }
  | { type: 'step-refs'; refs: { id: string; span: Span }[]; span: Span }
  | { type: 'status-list'; statuses: StatusRange[]; span: Span }
  | { type: 'target'; name: string; span: Span };
