/**
 * Several statements sent to PostgreSQL as one extended-protocol pipeline (Parse, Bind, Describe,
 * Execute for each, one Sync at the end): one round trip where pg would take one per statement.
 * The server runs them in order and, after an error, skips to the Sync, so a failed statement
 * never lets a later one run. Only the statements marked `collect` hand their rows to `onRow`,
 * as they arrive (pg keeps none), so a result of any size costs what the caller keeps.
 *
 * It plugs into pg.Client as a "submittable": the client routes each backend message of the
 * active query to the handle* method of the same name.
 */
import { createRequire } from 'node:module';
import type pg from 'pg';

const require = createRequire(import.meta.url);
type PgResult = {
  command: string | null;
  rowCount: number | null;
  fields: { name: string; dataTypeID: number }[];
  addFields(fields: unknown[]): void;
  addCommandComplete(msg: unknown): void;
  parseRow(fields: unknown[]): Record<string, unknown>;
};
const Result = require('pg/lib/result.js') as new (rowMode: undefined, types: pg.CustomTypesConfig) => PgResult;
const { prepareValue } = require('pg/lib/utils.js') as { prepareValue: (value: unknown) => unknown };

export type PipelineStatement = { text: string; values?: unknown[]; collect?: boolean };
export type StatementOutcome = { command: string; rowCount: number | null; fields: { name: string; type: string }[] };

type Connection = {
  stream: { cork?: () => void; uncork?: () => void };
  parse(q: { text: string; name?: string; types?: unknown[] }): void;
  bind(q: { portal?: string; statement?: string; values: unknown[] }): void;
  describe(q: { type: 'P'; name: string }): void;
  execute(q: { portal: string; rows: number }): void;
  sendCopyFail(message: string): void;
  sync(): void;
};

/**
 * Runs `statements` in one round trip on `client`. Resolves with each statement's outcome once the
 * server is ready again; rejects with the server's error (the transaction, if one was open, is
 * then in the failed state and needs a ROLLBACK).
 */
export function runPipeline(
  client: pg.PoolClient,
  statements: PipelineStatement[],
  types: pg.CustomTypesConfig,
  onRow: (row: Record<string, unknown>) => void,
): Promise<StatementOutcome[]> {
  return new Promise((resolve, reject) => {
    const outcomes: StatementOutcome[] = [];
    let current = new Result(undefined, types);
    let rowError: Error | undefined;
    const next = (): void => {
      outcomes.push({
        command: current.command ?? '',
        rowCount: current.rowCount,
        fields: current.fields.map((f) => ({ name: f.name, type: String(f.dataTypeID) })),
      });
      current = new Result(undefined, types);
    };
    const submittable = {
      submit(connection: Connection): Error | null {
        let mapped: unknown[][];
        try {
          mapped = statements.map((s) => (s.values ?? []).map((v) => prepareValue(v)));
        } catch (error) {
          return error as Error; // nothing sent yet: the client reports it and stays usable
        }
        connection.stream.cork?.();
        try {
          statements.forEach((s, i) => {
            connection.parse({ text: s.text, types: [] });
            connection.bind({ values: mapped[i]! });
            connection.describe({ type: 'P', name: '' });
            connection.execute({ portal: '', rows: 0 });
          });
          connection.sync();
        } finally {
          connection.stream.uncork?.();
        }
        return null;
      },
      handleRowDescription(msg: { fields: unknown[] }): void {
        current.addFields(msg.fields);
      },
      handleDataRow(msg: { fields: unknown[] }): void {
        if (rowError || !statements[outcomes.length]?.collect) return;
        try {
          onRow(current.parseRow(msg.fields));
        } catch (error) {
          rowError = error as Error;
        }
      },
      handleCommandComplete(msg: unknown): void {
        current.addCommandComplete(msg);
        next();
      },
      handleEmptyQuery(): void {
        next();
      },
      handlePortalSuspended(): void {},
      handleCopyInResponse(connection: Connection): void {
        connection.sendCopyFail('COPY FROM STDIN is not supported in a runbook step');
      },
      handleCopyData(): void {},
      handleError(error: Error): void {
        reject(error);
      },
      handleReadyForQuery(): void {
        if (rowError) reject(rowError);
        else resolve(outcomes);
      },
    };
    client.query(submittable as unknown as pg.QueryConfig);
  });
}
