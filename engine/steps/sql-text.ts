/** A sql step's text, and whether it writes: what the graph, check and the runner decide by. */
import type { Step } from '../document/model.js';
import { scanTemplate } from '../expr/template.js';
import { classifySql } from '../sql/classify.js';

/** The statement as written (body, or the leaf form's `query`), placeholders included. */
export function sqlText(step: Step): string | null {
  if (step.body) return step.body.template.source;
  const query = step.attributes.query;
  return query?.type === 'template' ? query.template.source : null;
}

/** Whether a sql step writes: `readonly` decides when given, else the statement's own keywords. */
export function sqlWrites(step: Step): boolean {
  const readonly = step.attributes.readonly;
  if (readonly?.type === 'boolean') return !readonly.value;
  const text = sqlText(step);
  if (text === null) return false;
  return classifySql(text, scanTemplate(text).slots).writes;
}
