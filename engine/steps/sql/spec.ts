import type { StepSpec } from '../../document/step-spec.js';
import { assumedWrite, sqlWrites } from './sql-text.js';

/** `sql`: one statement (or a script) against a postgres, sqlite or mysql target. */
export const sqlSpec = {
  kind: 'sql',
  summary: 'runs one SQL statement (or a script with `script`) against a postgres or sqlite target',
  result: ['rows', 'rowCount', 'fields', 'command', 'truncated', 'sha256', 'ms'],
  changes: 'writes',
  changesHere: assumedWrite,
  guardHint: 'readonly=true if it does not write',
  effect: sqlWrites,
  attributes: {
    target: { type: 'target', doc: 'the postgres or sqlite target (optional when the runbook declares only one)' },
    readonly: {
      type: 'boolean',
      doc: 'true: run in a read-only transaction even if it looks like a write; false: treat as a write',
    },
    'max-rows': {
      type: 'integer',
      min: 1,
      doc: 'rows kept in the result (default 500); the rest are counted and hashed',
    },
    script: { type: 'boolean', doc: 'run several statements in one go' },
    query: { type: 'template', doc: 'the statement, for the leaf form `::sql{query="..."}`' },
  },
  label: 'optional',
  content: 'code',
  leafBody: 'query',
  codeIs: 'statement',
  idText: (attr) => attr('query'),
  target: 'sql',
} satisfies StepSpec;
