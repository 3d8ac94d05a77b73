/** Shared by the TUI tests: a runbook checked as `run` checks it, and a controller over it. */
import { checkSource } from '../../engine/check/check.js';
import { TuiController } from '../../renderers/tui/controller.js';

export function checked(source: string, path = '/tmp/tui-test.md') {
  const result = checkSource(source, path);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  return result;
}

export function controllerFor(source: string, options: { readOnly?: boolean; operator?: string } = {}) {
  const { document, graph } = checked(source);
  return new TuiController({
    document,
    graph,
    runId: 'r1',
    operator: options.operator ?? 'alice',
    ...(options.readOnly ? { readOnly: true } : {}),
  });
}

/** Waits until `check` holds (polling), or fails after `ms`. */
export async function until(check: () => boolean, ms = 10_000, what = 'the condition'): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

let seq = 0;
/** A recorded event as the session's sinks receive it. */
export function ev<T extends import('../../engine/run/events.js').RunEvent['type']>(
  type: T,
  data: import('../../engine/run/events.js').EventData<T>,
): import('../../engine/run/recorder.js').RecordedEvent {
  return { type, data, seq: ++seq, ts: new Date().toISOString(), runId: 'r1' } as never;
}

/** The visible text of a frame: SGR styles removed (nothing else is expected in it). */
export function plain(frame: string | undefined): string {
  return (frame ?? '').replace(/\u001b\[[0-9;]*m/g, '');
}

/** Waits until the last frame shows `text`. */
export async function frameWith(
  lastFrame: () => string | undefined,
  text: string | RegExp,
  ms = 5000,
): Promise<string> {
  const ok = () => {
    const f = plain(lastFrame());
    return typeof text === 'string' ? f.includes(text) : text.test(f);
  };
  await until(ok, ms, `a frame with ${String(text)}: last frame was\n${plain(lastFrame())}`).catch((error) => {
    throw new Error(`${(error as Error).message}`);
  });
  // Ink subscribes key handlers after it draws: give it a moment before the next key.
  await tick(20);
  return plain(lastFrame());
}

export const tick = (ms = 60) => new Promise((r) => setTimeout(r, ms));

/**
 * A run's transcript read back from its store, checked to verify and not interrupted; `ends(id)`
 * gives each step.finished of a step as [status, error or reason].
 */
export async function uninterruptedRun(store: string, runId: string) {
  const { openStore } = await import('../../engine/store/open.js');
  const { verifyChain } = await import('../../engine/transcript/chain.js');
  const s = await openStore(store);
  const events = await s.events(runId);
  await s.close();
  if (!verifyChain(events).ok) throw new Error(`run ${runId} does not verify`);
  if (events.some((e) => e.type === 'run.interrupted')) throw new Error(`run ${runId} was interrupted`);
  const finished = events.flatMap((e) => (e.type === 'step.finished' ? [e.data as Record<string, unknown>] : []));
  return {
    events,
    ends: (id: string) => finished.filter((f) => f.stepId === id).map((f) => [f.status, f.error ?? f.reason]),
  };
}
