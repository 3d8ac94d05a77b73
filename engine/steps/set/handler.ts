import { CanonicalError, canonicalSize, normalize } from '../../transcript/canonical.js';
import type { StepHandler } from '../handler.js';
import { MAX_SET_VALUE_BYTES } from './spec.js';

/** `set`: computes named values, each attribute an expression (`::set{#calc total="a.rowCount + 1"}`). */
export const setHandler = {
  plan(ctx) {
    return { summary: `set ${Object.keys(ctx.step.attributes).join(', ')}` };
  },
  record({ summary }) {
    return { summary, effect: false };
  },
  async execute(ctx) {
    const result: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(ctx.step.attributes)) {
      if (value.type !== 'expression') continue;
      const computed = ctx.evaluate(value.expression);
      const size = jsonSize(computed);
      if (size > MAX_SET_VALUE_BYTES) {
        return {
          status: 'failed',
          error: `\`${name}\` is ${size > 4 * MAX_SET_VALUE_BYTES ? 'more than ' : ''}${kib(size)} as JSON; a set value may be at most ${kib(MAX_SET_VALUE_BYTES)}, since the transcript records it: keep a smaller value (a count, a slice, a sha256)`,
        };
      }
      result[name] = computed;
    }
    return { status: 'passed', result };
  },
} satisfies StepHandler<{ summary: string }>;

/** Canonical JSON size, counted only up to a few times the limit; a value that cannot be recorded at all is left to the recorder to refuse. */
function jsonSize(value: unknown): number {
  try {
    return canonicalSize(normalize(value), 4 * MAX_SET_VALUE_BYTES);
  } catch (error) {
    if (error instanceof CanonicalError) return 0;
    throw error;
  }
}

function kib(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${(bytes / 1024 / 1024).toFixed(1).replace(/\.0$/, '')} MiB`
    : `${Math.ceil(bytes / 1024)} KiB`;
}
