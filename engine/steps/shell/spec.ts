import type { StepSpec } from '../../document/step-spec.js';

/** `shell`: a script run with `bash -c` (or `shell=`), no TTY. */
export const shellSpec = {
  kind: 'shell',
  summary: 'runs a script with `bash -c` (or `shell=`), without a terminal',
  result: ['exitCode', 'stdout', 'stderr', 'truncated', 'ms'],
  changes: 'runs a script, which may change something',
  guardHint: 'mark it readonly if the script only reads (oc get, kubectl logs, curl -s)',
  /** A script changes things unless its author says it only reads (`readonly`). */
  effect: (step) => !(step.attributes.readonly?.type === 'boolean' && step.attributes.readonly.value),
  attributes: {
    readonly: {
      type: 'boolean',
      doc: 'the script changes nothing (oc get, kubectl logs, curl -s): it needs no confirm and may run in --parallel',
    },
    cwd: { type: 'template', doc: 'working directory (default: the runbook folder)' },
    'expect-exit': { type: 'integer', min: 0, doc: 'the exit code that counts as success (default 0)' },
    shell: { type: 'template', doc: 'the interpreter (default bash); written literally, never a placeholder' },
    run: { type: 'template', doc: 'the command, for the leaf form `::shell{run="..."}`' },
  },
  label: 'optional',
  content: 'code',
  leafBody: 'run',
  codeIs: 'script',
  idText: (attr) => attr('run'),
} satisfies StepSpec;
