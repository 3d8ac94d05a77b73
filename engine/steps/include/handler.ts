import type { StepHandler } from '../handler.js';

/**
 * `include`: the parser inlines the included steps (its spec says `inlines`), so the runner never
 * runs an include; this handler is there so that every kind has one.
 */
export const includeHandler = {
  plan() {
    return {};
  },
  record() {
    return { summary: 'include', effect: false };
  },
  async execute() {
    return { status: 'passed', result: {} };
  },
} satisfies StepHandler<Record<string, never>>;
