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
