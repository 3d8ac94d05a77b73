import type { StepSpec } from './schema.js';

/** `shell`: a script run with `bash -c` (or `shell=`), no TTY. */
export const shell = {
  kind: 'shell',
  summary: 'runs a script with `bash -c` (or `shell=`), without a terminal',
  attributes: {
    cwd: { type: 'template', doc: 'working directory (default: the runbook folder)' },
    'expect-exit': { type: 'integer', min: 0, doc: 'the exit code that counts as success (default 0)' },
    shell: { type: 'template', doc: 'the interpreter (default bash)' },
    run: { type: 'template', doc: 'the command, for the leaf form `::shell{run="..."}`' },
  },
  label: 'optional',
  content: 'code',
  leafBody: 'run',
} as const satisfies StepSpec;
