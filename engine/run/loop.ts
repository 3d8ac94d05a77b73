/**
 * Runs an `::::each` loop (runbooks/README.md, "Loops"). The graph holds a body step once; when
 * the first body step's turn comes, the runner hands the whole loop here: `items` is evaluated
 * once, checked to be a list of at most `max` items (else the loop fails before any iteration
 * runs), a note records how many items there are, and the body steps run in document order for
 * item 0, then item 1, ... each recorded under its own id (`replay[3]`). Inside the body the step
 * id means this iteration's result; once the loop ends it means the list of them. The later body
 * steps' turns find the loop done.
 *
 * A failing body step stops the loop and the run, unless it is `on-fail=continue`. A confirm in
 * the body asks once per item; what its "no" skips (on-decline=skip) is skipped for that item
 * only. A dry run shows iteration 0 rendered and says how many iterations there would be.
 */
import { basename } from 'node:path';
import { loopKey, loopsOf, MAX_ITEMS_LIMIT } from '../document/each.js';
import type { Loop, Step } from '../document/model.js';
import type { RunSetup } from './run-setup.js';
import type { RunValues } from './run-values.js';
import { iterationId } from '../document/iteration-id.js';

/** What a loop needs from the run that hands it over (runner.ts). */
export interface LoopHost {
  setup: RunSetup;
  values: RunValues;
  /** Steps a declined or skipped confirm skips, with why (by base id). */
  declined: Map<string, string>;
  /** Runs one step: one iteration's copy of a body step. Resolves whether the run goes on. */
  runOne(step: Step): Promise<boolean>;
  /** Records a step skipped, with why. */
  skip(step: Step, reason: string): Promise<boolean>;
  /** Records a step failed before it could start (the loop itself failed); the run stops. */
  fail(step: Step, error: string): Promise<boolean>;
}

export class Loops {
  private readonly loops: ReturnType<typeof loopsOf<Step>>;
  /** Loops already run, by key: whether the run went on after them. */
  private readonly done = new Map<string, boolean>();
  /** The loop running now and its iteration, for steps that re-run another (`wait`). */
  private current: { key: string; index: number } | null = null;

  constructor(
    steps: readonly Step[],
    private readonly host: LoopHost,
  ) {
    this.loops = loopsOf(steps);
  }

  /** The turn of a body step: runs its whole loop the first time, and finds it done after. */
  async run(step: Step): Promise<boolean> {
    // A loop left out by --from/--only is skipped whole, its items never read (unless resuming it).
    const { outOfScope, resume } = this.host.setup;
    const notInScope = outOfScope?.get(step.id);
    if (notInScope !== undefined && !resume?.finished.has(step.id)) return this.host.skip(step, notInScope);
    const key = loopKey(step)!;
    const known = this.done.get(key);
    if (known !== undefined) return known;
    const { loop, body } = this.loops.get(key)!;
    const goOn = await this.runLoop(key, loop, body);
    this.done.set(key, goOn);
    this.current = null;
    return goOn;
  }

  /** The step as it runs now: this iteration's copy when its loop is running, else the step itself. */
  now(step: Step): Step {
    const key = loopKey(step);
    return key !== undefined && this.current?.key === key ? iteration(step, this.current.index) : step;
  }

  private async runLoop(key: string, loop: Loop, body: Step[]): Promise<boolean> {
    const { setup, values } = this.host;
    const first = body[0]!;
    const where = `\`each\` over \`${loop.items.source}\` (${basename(loop.file)}:${loop.span.start.line})`;
    const dry = setup.mode === 'dry-run';
    const skipAll = async (reason: string): Promise<boolean> => {
      values.startLoop(body);
      for (const step of body) await this.host.skip(step, reason);
      values.finishLoop(body);
      return true;
    };
    let items: unknown;
    try {
      for (const condition of loop.conditions) {
        if (dry && values.reads(condition, first).some((id) => values.outcome(id) !== 'passed')) continue;
        const value = values.evaluate(condition, first);
        if (!value) return skipAll(`\`${condition.source}\` is ${JSON.stringify(value) ?? 'undefined'}`);
      }
      const unrun = dry ? values.reads(loop.items, first).filter((id) => values.outcome(id) !== 'passed') : [];
      if (unrun.length > 0)
        return skipAll(
          `dry run: ${where} needs the results of ${unrun.join(', ')}, which a dry run does not produce; its steps run once per item`,
        );
      items = values.evaluate(loop.items, first);
    } catch (error) {
      return this.host.fail(first, `${where}: cannot read its items: ${(error as Error).message}`);
    }
    if (!Array.isArray(items))
      return this.host.fail(
        first,
        `${where} needs a list, but \`${loop.items.source}\` is ${describe(items)}; no iteration ran`,
      );
    if (items.length > loop.max)
      return this.host.fail(
        first,
        `${where} has ${count(items.length)} items, more than its max of ${count(loop.max)}; no iteration ran (${loop.max < MAX_ITEMS_LIMIT ? `narrow the list, or raise max=, at most ${count(MAX_ITEMS_LIMIT)}` : 'narrow the list, or split it over several loops'})`,
      );
    await setup.recorder.record({
      type: 'note.added',
      data: {
        stepId: first.id,
        text: `${where}: ${count(items.length)} ${items.length === 1 ? 'item' : 'items'}, as \`${loop.as}\`${dry ? `; dry run: ${count(items.length)} iterations, the first shown` : ''}`,
        by: setup.operator,
      },
    });
    if (items.length === 0) return skipAll(`no items: \`${loop.items.source}\` is an empty list`);
    values.startLoop(body);
    // What a confirm before the loop declined stays declined; what one in the body declines lasts one iteration.
    const declinedBefore = new Map(
      body.flatMap((s) => (this.host.declined.has(s.id) ? [[s.id, this.host.declined.get(s.id)!] as const] : [])),
    );
    const iterations = dry ? 1 : items.length;
    let goOn = true;
    for (let index = 0; index < iterations && goOn; index++) {
      if (setup.signal.aborted) {
        goOn = false;
        break;
      }
      for (const step of body) {
        if (declinedBefore.has(step.id)) this.host.declined.set(step.id, declinedBefore.get(step.id)!);
        else this.host.declined.delete(step.id);
      }
      this.current = { key, index };
      values.enterIteration(items[index], index, items.length);
      for (const step of body) {
        goOn = await this.host.runOne(iteration(step, index));
        if (!goOn) break;
      }
    }
    values.finishLoop(body);
    return goOn;
  }
}

/** A step's own id: for one iteration of a loop's step (`replay[3]`), the step's (`replay`). */
export function baseId(step: Step): string {
  return step.iteration?.baseId ?? step.id;
}

/** One iteration's copy of a body step: recorded as `id[index]`. */
export function iteration(step: Step, index: number): Step {
  return { ...step, id: iterationId(step.id, index), iteration: { index, baseId: step.id } };
}

function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** What a value that is not a list is, for the error: its type and the start of its JSON. */
function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null (did the step it reads pass?)';
  const json = JSON.stringify(value) ?? String(value);
  const shown = json.length > 80 ? `${json.slice(0, 77)}...` : json;
  return `${typeof value === 'object' ? 'an object' : `a ${typeof value}`} (${shown})`;
}
