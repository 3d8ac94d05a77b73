import type { StepSpec } from '../../document/step-spec.js';

/** `include`: inlines another runbook's steps under a prefix (engine/document/include.ts). */
export const includeSpec = {
  kind: 'include',
  summary:
    "inlines another runbook's steps; with `as=name` their ids become `name.id`; `with` binds its inputs, `target` its targets",
  result: [],
  effect: () => false,
  // The included steps are in the graph; the include itself is not, and runs nothing.
  inlines: true,
  attributes: {
    src: { type: 'template', required: true, doc: 'path of the runbook to include, relative to this one' },
    as: { type: 'template', doc: 'namespace for the included step ids (default: the included file name)' },
    with: {
      type: 'template',
      doc: 'inputs of the included runbook bound for this include: `with="service=gateway port={{ inputs.gw_port }}"`',
    },
    target: {
      type: 'template',
      doc: 'this runbook\'s target for the included runbook\'s only target (`target=api`), or a map (`target="db=main api=gw"`)',
    },
  },
  label: 'optional',
  content: 'none',
  idText: (attr) => attr('as') || attr('src').replace(/\.(md|markdown)$/i, ''),
} satisfies StepSpec;
