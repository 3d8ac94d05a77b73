/**
 * One drill scenario from start to end: an isolated database per database target (loaded with
 * the fixture's and the scenario's SQL), the HTTP fixture on a free loopback port in the
 * scenario's first state, the runbook run headless against them (its targets pointed there with
 * the run's own target overrides, its environment given the fixture's `env`), the scenario's
 * expectations checked against the events and the final state, and everything removed again,
 * also when the drill is interrupted (`signal`).
 */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { checkSource } from '../check/check.js';
import { hasErrors } from '../document/diagnostic.js';
import type { RunbookDocument } from '../document/model.js';
import { type StatefulHttpFixture, startStatefulHttpFixture } from '../fixtures/http-fixture.js';
import type { StepGraph } from '../graph/model.js';
import { readTextFile } from '../io/read-bounded.js';
import { connections } from '../run/connections.js';
import type { RunEvent } from '../run/events.js';
import { headlessResponder } from '../run/headless-responder.js';
import { prepareInputs, prepareSecrets } from '../run/prepare.js';
import { runSession } from '../run/session.js';
import { chooseProfile, profileInputs, profileTargets, runProfile } from '../run/profile.js';
import { type ResolvedTarget, resolveTargets } from '../run/targets.js';
import { targetKind } from '../targets/registry.js';
import { type DrillDatabase, type PostgresHost, provisionPostgres, provisionSqlite } from './databases.js';
import { checkFixtureState, checkHttpResult, checkRun, checkSqlResult, describeSql, type Miss } from './expect.js';
import { type Fixture, FixtureError, loadFixture, type Scenario } from './fixture.js';
import { append } from '../append.js';

/** A runbook checked once, ready to drill in any of its scenarios. */
export interface DrillRunbook {
  file: string;
  source: string;
  document: RunbookDocument;
  graph: StepGraph;
  fixture: Fixture;
}

export interface ScenarioResult {
  runbook: string;
  scenario: string;
  /** passed: every expectation held; failed: one or more missed; error: the drill itself could not run. */
  result: 'passed' | 'failed' | 'error';
  misses: Miss[];
  error?: string;
  runStatus?: string;
  runId: string;
  ms: number;
  /** What each target ran against. */
  targets: Record<string, string>;
  steps: number;
  /** Every event the run recorded (redacted), for reports. */
  events: RunEvent[];
}

export interface DrillOptions {
  /** Where PostgreSQL targets get their databases, by runbook target name (default: `postgres`). */
  postgres: Record<string, PostgresHost> & { default: PostgresHost };
  /** The environment the drill runs in (the fixture's `env` is added). */
  env: NodeJS.ProcessEnv;
  /** Where transcripts go; default: a store in the scenario's temporary folder, removed after. */
  store?: string;
  /** Aborted on SIGINT/SIGTERM: the run stops, and cleanup still runs. */
  signal: AbortSignal;
  operator: string;
  engineVersion: string;
  /** Steps run at once inside one scenario (the run's --parallel). */
  stepParallel?: number;
  /** Each event as recorded (for --verbose and live output). */
  onEvent?: (scenario: string, event: RunEvent) => void;
}

export class DrillError extends Error {}

/** The fixture a runbook names in its frontmatter (`fixture: ../fixtures/x`), resolved against the runbook. */
export function namedFixture(file: string, source: string): string | undefined {
  const match = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(source.replace(/^\uFEFF/, ''));
  if (!match) return undefined;
  try {
    const front = parseYaml(match[1]!) as Record<string, unknown> | null;
    return typeof front?.fixture === 'string' ? resolve(dirname(file), front.fixture) : undefined;
  } catch {
    return undefined;
  }
}

/** Reads and checks a runbook and its fixture (from `fixtureDir`, or the one its frontmatter names). */
export function prepareDrill(file: string, fixtureDir?: string): DrillRunbook {
  let source: string;
  try {
    source = readTextFile(file, { what: 'runbook file' });
  } catch (error) {
    throw new DrillError((error as Error).message);
  }
  const dir = fixtureDir ?? namedFixture(file, source);
  if (dir === undefined)
    throw new DrillError(
      `${file} names no fixture: give --fixture DIR, or add \`fixture: ../fixtures/NAME\` to its frontmatter`,
    );
  const checked = checkSource(source, file);
  if (hasErrors(checked.diagnostics)) {
    const first = checked.diagnostics.find((d) => d.severity === 'error')!;
    throw new DrillError(
      `${file}:${first.span.start.line}:${first.span.start.column}: ${first.message} [${first.rule}] (the runbook has errors; nothing was drilled)`,
    );
  }
  const kinds = Object.fromEntries(
    Object.entries(checked.document.frontmatter.targets).map(([name, decl]) => [
      name,
      targetKind(decl.kind).capability,
    ]),
  );
  try {
    const fixture = loadFixture(dir, kinds);
    return { file, source, document: checked.document, graph: checked.graph, fixture };
  } catch (error) {
    if (error instanceof FixtureError) throw new DrillError(error.message);
    throw error;
  }
}

export async function runScenario(
  drill: DrillRunbook,
  scenario: Scenario,
  options: DrillOptions,
): Promise<ScenarioResult> {
  const started = performance.now();
  const runId = `drill-${new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${Math.random().toString(16).slice(2, 8)}`;
  const out: ScenarioResult = {
    runbook: drill.file,
    scenario: scenario.name,
    result: 'error',
    misses: [],
    runId,
    ms: 0,
    targets: {},
    steps: drill.document.steps.length,
    events: [],
  };
  const work = mkdtempSync(join(tmpdir(), 'stepwise-drill-'));
  const databases: DrillDatabase[] = [];
  const servers: Record<string, StatefulHttpFixture> = {};
  try {
    for (const f of drill.fixture.files) cpSync(join(drill.fixture.dir, f), join(work, f), { recursive: true });
    const locations: Record<string, string> = {};
    const services: Record<string, string> = {};
    for (const target of Object.values(drill.fixture.targets)) {
      if (options.signal.aborted) throw new DrillError('interrupted before the run started');
      if (target.kind === 'http') {
        const server = await startStatefulHttpFixture(target.routes, scenario.httpState[target.name] ?? {});
        servers[target.name] = server;
        if (target.service) services[target.name] = server.url;
        else locations[target.name] = server.url;
        out.targets[target.name] = `HTTP fixture ${server.url}${target.service ? ' (a service, not a target)' : ''}`;
        continue;
      }
      const kind = drill.document.frontmatter.targets[target.name]!.kind;
      const scripts = [...target.sql, ...(scenario.sql[target.name] ?? [])];
      let db: DrillDatabase;
      if (kind === 'postgres')
        db = await provisionPostgres(
          options.postgres[target.name] ?? options.postgres.default,
          scripts,
          work,
          target.name,
        );
      else if (kind === 'sqlite') db = await provisionSqlite(scripts, work, target.name);
      else throw new DrillError(`target \`${target.name}\`: a drill cannot provide a ${kind} database yet`);
      databases.push(db);
      locations[target.name] = db.location;
      out.targets[target.name] = db.describe;
    }
    const env: NodeJS.ProcessEnv = { ...options.env };
    for (const [name, value] of Object.entries(drill.fixture.env))
      env[name] = value
        .replace(/\$\{targets\.([A-Za-z0-9_-]+)\}/g, (whole, t: string) => locations[t] ?? whole)
        .replace(/\$\{services\.([A-Za-z0-9_-]+)\}/g, (whole, t: string) => services[t] ?? whole)
        .replace(/\$\{fixture\}/g, drill.fixture.dir)
        .replace(/\$\{workdir\}/g, work);
    const runbookDir = dirname(resolve(drill.file));
    // The scenario's profile (or the runbook's default-profile): its inputs, headers and start
    // question; the stand-ins still replace every target's location. With neither, none.
    const fm = drill.document.frontmatter;
    const profile =
      scenario.profile !== undefined || fm.defaultProfile !== undefined
        ? chooseProfile(fm, scenario.profile ?? fm.defaultProfile!.name)
        : null;
    const targets = resolveTargets(profileTargets(fm.targets, profile), locations, env, runbookDir);
    const inputs = prepareInputs(fm.inputs, { ...profileInputs(profile), ...scenario.inputs });
    const secrets = prepareSecrets(drill.document.frontmatter.secrets, {}, { ...drill.fixture.secrets });
    const declaredEnv: Record<string, string> = {};
    for (const name of Object.keys(drill.document.frontmatter.env))
      if (env[name] !== undefined) declaredEnv[name] = env[name]!;
    const events: RunEvent[] = [];
    const outcome = await runSession({
      file: drill.file,
      source: drill.source,
      document: drill.document,
      graph: drill.graph,
      runId,
      mode: 'headless',
      operator: options.operator,
      inputs,
      secrets,
      env: declaredEnv,
      hostEnv: env,
      targets,
      ...(profile ? { profile: runProfile(profile)! } : {}),
      responder: headlessResponder(scenario.answers, scenario.yes, options.operator),
      maskAlso: {},
      options: { allowWrites: false, yes: scenario.yes, parallel: options.stepParallel ?? 1, force: false },
      storeLocation: options.store ?? join(work, 'transcripts.db'),
      sinks: [
        (event) => {
          events.push(event as RunEvent);
          options.onEvent?.(scenario.name, event as RunEvent);
        },
      ],
      signal: options.signal,
      host: hostname(),
      pid: process.pid,
      engineVersion: options.engineVersion,
    });
    out.events = events;
    if (outcome.kind === 'not-started') throw new DrillError(outcome.message);
    if (outcome.kind === 'locked') throw new DrillError(`the runbook is already running: ${outcome.heldBy}`);
    if (outcome.kind === 'incomplete') throw new DrillError(`the run could not be recorded: ${outcome.message}`);
    out.runStatus = outcome.summary.status;
    if (options.signal.aborted) throw new DrillError('interrupted');
    const misses = checkRun(
      scenario.expect,
      events,
      new Set(drill.document.steps.map((s) => s.id)),
      new Set(drill.document.steps.filter((s) => s.loop !== undefined).map((s) => s.id)),
    );
    append(misses, await checkFinalSql(scenario, targets, options.signal));
    for (const [index, e] of scenario.expect.http.entries()) {
      const [method, path] = e.request.split(' ') as [string, string];
      let result: { status: number; body: string } | { error: string };
      try {
        const response = await fetch(`${servers[e.target]!.url}${path}`, {
          method,
          signal: AbortSignal.timeout(10_000),
        });
        result = { status: response.status, body: await response.text() };
      } catch (error) {
        result = { error: (error as Error).message };
      }
      append(misses, checkHttpResult(e, index, result));
    }
    for (const [name, server] of Object.entries(servers)) {
      const state = scenario.expect.state[name];
      const requests = scenario.expect.requests[name];
      if (state || requests)
        misses.push(
          ...checkFixtureState(
            name,
            { ...(state ? { state } : {}), ...(requests ? { requests } : {}) },
            server.snapshot(),
          ),
        );
    }
    out.misses = misses;
    out.result = misses.length === 0 ? 'passed' : 'failed';
  } catch (error) {
    out.result = 'error';
    out.error =
      error instanceof DrillError || error instanceof FixtureError
        ? error.message
        : String((error as Error).message ?? error);
  } finally {
    await Promise.allSettled(Object.values(servers).map((s) => s.close()));
    await Promise.allSettled(databases.map((d) => d.close()));
    rmSync(work, { recursive: true, force: true });
    out.ms = performance.now() - started;
  }
  return out;
}

async function checkFinalSql(
  scenario: Scenario,
  targets: Record<string, ResolvedTarget>,
  signal: AbortSignal,
): Promise<Miss[]> {
  if (scenario.expect.sql.length === 0) return [];
  const pool = connections();
  const misses: Miss[] = [];
  try {
    for (const [index, e] of scenario.expect.sql.entries()) {
      try {
        const connection = await pool.sql(targets[e.target]!);
        const result = await connection.query(e.query, [], { readonly: true, timeoutMs: 30_000, maxRows: 500, signal });
        append(misses, checkSqlResult(e, index, result));
      } catch (error) {
        misses.push({ expectation: describeSql(e, index), expected: 'a result', actual: (error as Error).message });
      }
    }
  } finally {
    await pool.closeAll();
  }
  return misses;
}
