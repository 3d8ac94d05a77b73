/**
 * What a kind of target is (engine/targets/<kind>.ts, listed in registry.ts): how the frontmatter
 * declares it, how a bare URL names it, where it points once the environment is read, what of it
 * is a credential, and how a connection to it opens. Adding a kind is its module, its driver and
 * one registry line; nothing else asks which kind a target is.
 */
import type { SqlConnection } from '../drivers/sql-result.js';

/** A target as a run uses it: `${NAME}` read, `--target` applied, paths resolved. */
export interface ResolvedTarget {
  name: string;
  kind: string;
  /** Where it is: a URL, a file path or a base URL, as the kind reads it. */
  location: string;
  readonly: boolean;
  /** Headers sent with every request (http). */
  headers: Record<string, string>;
}

export interface ConnectOptions {
  poolSize?: number;
}

export interface TargetKind {
  kind: string;
  /** The frontmatter key that holds where the target is. */
  field: 'url' | 'path' | 'base';
  /** What steps do with it: `sql` steps run statements, `http` steps send requests. */
  capability: 'sql' | 'http';
  /** How bind parameters are written in its SQL: `$1, $2` or `?`. */
  params?: '$n' | '?';
  /** Keys a declaration may hold besides `kind` and its field. */
  keys: readonly string[];
  /** Whether a bare value (`postgres://…`, `./data.db`; `${VAR:-default}` already unwrapped) names this kind. */
  claims(location: string): boolean;
  /** The location as a run uses it (a relative file path resolved against the runbook's folder). */
  locate(location: string, runbookDir: string): string;
  /** Where it points, without credentials: for the transcript, the lock and messages. */
  describe(location: string): string;
  /** Credentials written into the location, to mask wherever they appear, by name. */
  credentials(location: string): Record<string, string>;
  /**
   * Opens a connection (sql kinds), loading the driver only now, so `check` never loads one.
   * `poolSize`: how many sessions it may hold at once (a run with --parallel N overlaps N steps).
   */
  connect?(target: ResolvedTarget, options?: ConnectOptions): Promise<SqlConnection>;
}
