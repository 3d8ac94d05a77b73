/**
 * The inputs each parameterised include binds (`with="service=gateway port={{ inputs.gw_port }}"`),
 * evaluated once when the run starts, in the including runbook's scope, and typed by the included
 * runbook's declarations as `--input` values are (prepare.ts). A value that cannot be bound is
 * left missing, never replaced by the run's own input of that name: a step that uses it fails
 * ("has no value") before it runs, and the record of the include says why.
 */
import { boundIncludes, inputScope } from '../document/include-scopes.js';
import type { Expression, RunbookDocument, Step } from '../document/model.js';
import { setOwn } from './own-property.js';
import { coerceInput } from './prepare.js';
import { renderTemplate } from './render.js';

/** What one include bound, for the transcript (`note.added` at the start of the run). */
export interface IncludeRecord {
  scope: string;
  src: string;
  with: Record<string, unknown>;
  target: Record<string, string>;
  /** The inputs that could not be bound, with why. */
  errors: string[];
}

export function bindIncludeInputs(
  document: RunbookDocument,
  runInputs: Record<string, unknown>,
  value: (expression: Expression, step: Step) => unknown,
  publish: (scope: string, inputs: Record<string, unknown>) => void,
): IncludeRecord[] {
  const scopes = new Map<string, Record<string, unknown>>();
  const records: IncludeRecord[] = [];
  for (const { step, binding } of boundIncludes(document.blocks)) {
    const record: IncludeRecord = {
      scope: binding.scope,
      src: binding.src,
      with: {},
      target: binding.targets,
      errors: [],
    };
    records.push(record);
    if (binding.inputs.length === 0) continue;
    const outer = inputScope(scopes, step.scope);
    const inputs: Record<string, unknown> = { ...(outer === null ? runInputs : scopes.get(outer)) };
    for (const input of binding.inputs) {
      try {
        const only = input.value.parts.length === 1 ? input.value.parts[0]! : undefined;
        // A value that is one placeholder keeps its type (a number stays a number); others are text.
        const raw =
          only?.type === 'expr' ? value(only.expression, step) : renderTemplate(input.value, (e) => value(e, step));
        const typed = coerceInput(input.decl, raw);
        setOwn(inputs, input.name, typed);
        record.with[input.name] = input.decl.type === 'secret' ? '***' : typed;
      } catch (error) {
        delete inputs[input.name];
        record.errors.push(`${input.name}: ${(error as Error).message}`);
      }
    }
    scopes.set(binding.scope, inputs);
    publish(binding.scope, inputs);
  }
  return records;
}

/** One line for the transcript: `include gateway (./health.md): with service="gateway" port=8101; target api=gw`. */
export function describeInclude(record: IncludeRecord): string {
  const pairs = (o: Record<string, unknown>): string =>
    Object.entries(o)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
      .join(' ');
  const parts = [
    Object.keys(record.with).length > 0 ? `with ${pairs(record.with)}` : '',
    Object.keys(record.target).length > 0
      ? `target ${Object.entries(record.target)
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`
      : '',
    record.errors.length > 0 ? `not bound: ${record.errors.join('; ')}` : '',
  ].filter((p) => p !== '');
  return `include ${record.scope} (${record.src}): ${parts.join('; ')}`;
}
