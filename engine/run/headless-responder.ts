/**
 * Answers gates without a person: from the answers file (id → yes/no, { answer, phrase }, or a
 * value) and --yes for confirms that are not `danger`. Anything else is unanswered (exit 3).
 */
import type { Answer, ConfirmRequest, InputRequest, Responder } from './responder.js';
import { parseIterationId } from '../document/iteration-id.js';

export type Answers = Record<string, unknown>;

export function headlessResponder(answers: Answers, yes: boolean, operator: string): Responder {
  /** Re-running an interrupted step is never implied by --yes: it needs its own answer. */
  const rerun = (
    stepId: string,
    ended = 'started but never finished when the run was interrupted',
  ): Answer<boolean> => {
    const table = answers.rerun;
    const given =
      typeof table === 'object' && table !== null && !Array.isArray(table) && Object.hasOwn(table, stepId)
        ? (table as Record<string, unknown>)[stepId]
        : undefined;
    const value = toBoolean(given);
    if (value === undefined)
      return {
        answered: false,
        why: `step \`${stepId}\` ${ended}, so it may have taken effect; to run it again headless, give it in --answers FILE as:\n  rerun:\n    ${stepId}: yes`,
      };
    return { answered: true, value, by: operator, via: 'answers-file' };
  };
  return {
    async confirm(request: ConfirmRequest): Promise<Answer<boolean>> {
      if (request.rerun) return rerun(request.stepId, request.ended);
      const given = answerFor(answers, request.stepId);
      if (given !== undefined) {
        const entry =
          typeof given === 'object' && given !== null
            ? (given as { answer?: unknown; phrase?: unknown })
            : { answer: given };
        const answer = toBoolean(entry.answer);
        if (answer === undefined)
          return {
            answered: false,
            why: `the answers file gives \`${request.stepId}\` ${JSON.stringify(given)}; write yes or no`,
          };
        if (answer && request.danger) {
          if (entry.phrase === undefined)
            return {
              answered: false,
              why: `\`${request.stepId}\` is a danger gate: the answers file must give { answer: yes, phrase: ${JSON.stringify(request.phrase)} }`,
            };
          if (String(entry.phrase) !== request.phrase)
            return {
              answered: false,
              why: `\`${request.stepId}\` is a danger gate and the phrase in the answers file does not match`,
            };
        }
        return { answered: true, value: answer, by: operator, via: 'answers-file' };
      }
      if (yes && !request.danger) return { answered: true, value: true, by: operator, via: 'yes' };
      if (yes)
        return {
          answered: false,
          why: `\`${request.stepId}\` is a danger gate: --yes never answers it; give { answer: yes, phrase: ... } in --answers`,
        };
      return {
        answered: false,
        why: `\`${request.stepId}\` needs an answer: give it in --answers FILE (${request.stepId}: yes) or pass --yes`,
      };
    },
    async input(request: InputRequest): Promise<Answer<unknown>> {
      const given = answerFor(answers, request.stepId);
      if (given !== undefined) return { answered: true, value: given, by: operator, via: 'answers-file' };
      if (request.defaultValue !== undefined && request.defaultValue !== null && yes)
        return { answered: true, value: request.defaultValue, by: operator, via: 'default' };
      return {
        answered: false,
        why: `input \`${request.stepId}\` needs a value: give it in --answers FILE (${request.stepId}: ...)`,
      };
    },
  };
}

/**
 * The answer for a step: by its id; for one iteration of a loop's step (`go[2]`), by that id,
 * else by the step's own id (`go`), which then answers every iteration.
 */
function answerFor(answers: Answers, stepId: string): unknown {
  if (Object.hasOwn(answers, stepId)) return answers[stepId];
  const base = parseIterationId(stepId)?.stepId;
  return base !== undefined && Object.hasOwn(answers, base) ? answers[base] : undefined;
}

function toBoolean(value: unknown): boolean | undefined {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'string') {
    const v = value.toLowerCase();
    if (['yes', 'y', 'true', 'on'].includes(v)) return true;
    if (['no', 'n', 'false', 'off'].includes(v)) return false;
  }
  return undefined;
}
