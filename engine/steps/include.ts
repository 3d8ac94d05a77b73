import type { StepHandler } from './handler.js';

/** `include`: inlines another runbook's steps under a prefix. */
export const include = {
  kind: 'include',
  summary: "inlines another runbook's steps; with `as=name` their ids become `name.id`",
  result: [],
  effect: () => false,
  attributes: {
    src: { type: 'template', required: true, doc: 'path of the runbook to include, relative to this one' },
    as: { type: 'template', doc: 'namespace for the included step ids (default: the included file name)' },
  },
  label: 'optional',
  content: 'none',
  // The included steps are in the graph; the include itself runs nothing.
  plan() {
    return { summary: 'include', effect: false };
  },
  async execute() {
    return { status: 'passed', result: {} };
  },
} satisfies StepHandler;
