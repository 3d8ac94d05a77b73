/** Which steps have side effects, and so order the steps around them (format.md §6). */
import type { Step } from '../document/model.js';
import { classifySql } from '../sql/classify.js';
import { scanTemplate } from '../expr/template.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The HTTP method of an http step: the `method` attribute, else the body's first word, else GET. */
export function httpMethod(step: Step): string {
  const attr = step.attributes.method;
  if (attr?.type === 'enum') return attr.value;
  const first = step.body?.template.source.trimStart().split(/\s/, 1)[0]?.toUpperCase();
  return first && /^[A-Z]+$/.test(first) ? first : 'GET';
}

/** Whether a sql step writes: `readonly` decides when given, else the statement's own keywords. */
export function sqlWrites(step: Step): boolean {
  const readonly = step.attributes.readonly;
  if (readonly?.type === 'boolean') return !readonly.value;
  const text = sqlText(step);
  if (text === null) return false;
  return classifySql(text, scanTemplate(text).slots).writes;
}

export function sqlText(step: Step): string | null {
  if (step.body) return step.body.template.source;
  const query = step.attributes.query;
  return query?.type === 'template' ? query.template.source : null;
}

export function hasEffect(step: Step): boolean {
  switch (step.kind) {
    case 'shell':
    case 'confirm':
    case 'input':
      return true;
    case 'sql':
      return sqlWrites(step);
    case 'http':
      return !SAFE_METHODS.has(httpMethod(step));
    default:
      return false;
  }
}
