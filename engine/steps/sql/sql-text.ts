/** A sql step's text, and whether it writes: what the graph, check and the runner decide by. */
import type { Step } from '../../document/model.js';
import { scanTemplate } from '../../expr/template.js';
import { classifySql, onlyAssumedWrite, unrecognised } from '../../sql/classify.js';

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

/** A step without `readonly` taken to write only because Stepwise did not recognise its SQL: why, for messages. */
export function assumedWrite(step: Step): string | undefined {
  if (step.attributes.readonly !== undefined) return undefined;
  const text = sqlText(step);
  const assumed = text === null ? undefined : onlyAssumedWrite(text, scanTemplate(text).slots);
  return assumed ? `is treated as a write (${unrecognised(assumed)})` : undefined;
}
