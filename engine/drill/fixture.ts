/**
 * A drill fixture: a folder that gives each of a runbook's targets something to run against, and
 * the scenarios to run it in.
 *
 * ```
 * fixtures/solvereign/
 *   fixture.yaml        which runbook; per target: SQL files to load, or HTTP routes; extra env
 *   schema.sql data.sql loaded in order into a fresh database for every scenario
 *   http.yaml           the HTTP fixture: routes, responses, state transitions (http-routes.ts)
 *                       (`services:` adds HTTP fixtures that are no target: URLs the runbook builds)
 *   scenarios/*.yaml    one scenario each: more SQL, HTTP state, inputs, answers, expectations
 * ```
 *
 * Everything here is read and checked before anything runs, so a mistake in a fixture is one
 * message naming its file and key, not a failed drill.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { FixtureSpecError, parseStatefulSpec, type StatefulSpec, type StateValue } from '../fixtures/http-routes.js';
import { FileReadError, readTextFile } from '../io/read-bounded.js';

export class FixtureError extends Error {}

/** What one runbook target is given in a drill. */
export type FixtureTarget =
  | { name: string; kind: 'sql'; sql: { file: string; text: string }[] }
  | {
      name: string;
      kind: 'http';
      routes: StatefulSpec;
      file: string;
      /** A service (fixture.yaml `services:`), not a target: the runbook reaches it by a URL it builds, read from `${services.NAME}` in `env`. */
      service?: true;
    };

export interface Fixture {
  dir: string;
  /** The runbook it drills, when fixture.yaml names one (resolved against the fixture's folder). */
  runbook?: string;
  description: string;
  targets: Record<string, FixtureTarget>;
  /**
   * Extra environment for the run. In a value, `${targets.NAME}` is where the drill put that
   * target, `${services.NAME}` where that service listens, `${fixture}` the fixture's folder, `${workdir}` the scenario's temporary folder.
   */
  env: Record<string, string>;
  /** Values for the runbook's secrets in a drill (made up: a drill never talks to a real system). */
  secrets: Record<string, string>;
  /** Files and folders of the fixture copied into the scenario's temporary folder before the run (logs a runbook writes to). */
  files: string[];
  scenarios: Scenario[];
}

export interface SqlExpectation {
  target: string;
  query: string;
  /** Rows in order; each row's listed columns must match (other columns are not compared). */
  rows?: Record<string, unknown>[];
  /** The first column of the first row. */
  value?: unknown;
  /** How many rows come back. */
  count?: number;
}

export interface HttpExpectation {
  target: string;
  /** `GET /path` */
  request: string;
  status?: number;
  /** The parts of the JSON body that must match (a subset: other fields are not compared). */
  json?: unknown;
  /** Text the body must contain. */
  contains?: string;
}

export interface Expectations {
  /** How the run ends: passed (default), failed, declined, blocked, interrupted. */
  status: string;
  /** Step id → outcome: passed, failed, skipped, timed-out, cancelled, declined, not-run. */
  steps: Record<string, string>;
  sql: SqlExpectation[];
  http: HttpExpectation[];
  /** HTTP target → state variables the fixture must end in. */
  state: Record<string, Record<string, StateValue>>;
  /** HTTP target → `METHOD /path` (as sent, or a route's match) → how many times it was asked. */
  requests: Record<string, Record<string, number>>;
}

export interface Scenario {
  name: string;
  file: string;
  description: string;
  /** Target → more SQL after the fixture's own: files (relative to the fixture) or inline text. */
  sql: Record<string, { file: string; text: string }[]>;
  /** HTTP target → its first state (over the routes file's). */
  httpState: Record<string, Record<string, StateValue>>;
  inputs: Record<string, string>;
  answers: Record<string, unknown>;
  yes: boolean;
  /** The runbook's environment profile the scenario runs with (`profile:`), as `--profile` gives it. */
  profile?: string;
  expect: Expectations;
}

const FIXTURE_KEYS = ['runbook', 'description', 'targets', 'services', 'env', 'secrets', 'files'];
const SCENARIO_KEYS = ['description', 'sql', 'http', 'inputs', 'answers', 'yes', 'profile', 'expect'];
const EXPECT_KEYS = ['status', 'steps', 'sql', 'http', 'state', 'requests'];
const OUTCOMES = ['passed', 'failed', 'skipped', 'timed-out', 'cancelled', 'interrupted', 'declined', 'not-run'];
const RUN_STATUSES = ['passed', 'failed', 'declined', 'blocked', 'interrupted'];

/** Reads `DIR/fixture.yaml` and `DIR/scenarios/*.yaml`; `targetKinds` maps the runbook's targets to `sql` or `http`. */
export function loadFixture(dir: string, targetKinds?: Record<string, 'sql' | 'http'>): Fixture {
  const root = resolve(dir);
  const manifest = join(root, 'fixture.yaml');
  if (!existsSync(manifest))
    throw new FixtureError(`${dir}: no fixture.yaml (a drill fixture is a folder holding one)`);
  const raw = yamlMap(read(manifest), manifest);
  unknownKeys(raw, FIXTURE_KEYS, manifest);
  const targetsRaw = raw.targets;
  if (!isMap(targetsRaw) || Object.keys(targetsRaw).length === 0)
    throw new FixtureError(`${manifest}: \`targets\` must map each of the runbook's targets to its fixture`);
  const targets: Record<string, FixtureTarget> = {};
  for (const [name, value] of Object.entries(targetsRaw)) {
    const where = `${manifest}: targets.${name}`;
    if (!isMap(value)) throw new FixtureError(`${where}: give \`sql: [files]\` or \`routes: FILE\``);
    unknownKeys(value, ['sql', 'routes'], where);
    const want = targetKinds?.[name];
    if (value.routes !== undefined) {
      if (want === 'sql')
        throw new FixtureError(`${where}: the runbook's \`${name}\` is a database; give it \`sql:\` files`);
      targets[name] = { name, kind: 'http', ...routesOf(value.routes, root, where) };
    } else {
      if (want === 'http')
        throw new FixtureError(`${where}: the runbook's \`${name}\` is an HTTP target; give it \`routes: FILE\``);
      targets[name] = { name, kind: 'sql', sql: sqlFiles(value.sql ?? [], root, `${where}.sql`) };
    }
  }
  if (targetKinds) {
    const missing = Object.keys(targetKinds).filter((t) => !targets[t]);
    if (missing.length > 0)
      throw new FixtureError(
        `${manifest}: the runbook's target${missing.length === 1 ? '' : 's'} ${missing.map((m) => `\`${m}\``).join(', ')} ${missing.length === 1 ? 'has' : 'have'} no fixture (a drill never runs against a real system)`,
      );
    const extra = Object.keys(targets).filter((t) => !targetKinds[t]);
    if (extra.length > 0)
      throw new FixtureError(
        `${manifest}: the runbook declares no target ${extra.map((m) => `\`${m}\``).join(', ')} (it has: ${Object.keys(targetKinds).join(', ')})`,
      );
  }
  if (raw.services !== undefined) {
    if (!isMap(raw.services))
      throw new FixtureError(
        `${manifest}: \`services\` maps a name to \`{ routes: FILE }\`: an HTTP fixture the runbook reaches by a URL it builds (\`\${services.NAME}\` in \`env\`)`,
      );
    for (const [name, value] of Object.entries(raw.services)) {
      const where = `${manifest}: services.${name}`;
      if (!isMap(value)) throw new FixtureError(`${where}: give \`routes: FILE\``);
      unknownKeys(value, ['routes'], where);
      if (targets[name]) throw new FixtureError(`${where}: \`${name}\` is also a target: name the service otherwise`);
      targets[name] = { name, kind: 'http', ...routesOf(value.routes, root, where), service: true };
    }
  }
  const env: Record<string, string> = {};
  if (raw.env !== undefined) {
    if (!isMap(raw.env) || !Object.values(raw.env).every((v) => typeof v === 'string'))
      throw new FixtureError(`${manifest}: \`env\` must map names to text`);
    Object.assign(env, raw.env);
  }
  const secrets: Record<string, string> = {};
  if (raw.secrets !== undefined) {
    if (!isMap(raw.secrets) || !Object.values(raw.secrets).every((v) => typeof v === 'string'))
      throw new FixtureError(`${manifest}: \`secrets\` must map secret names to (made-up) values`);
    Object.assign(secrets, raw.secrets);
  }
  const files: string[] = [];
  if (raw.files !== undefined) {
    if (!Array.isArray(raw.files) || !raw.files.every((f) => typeof f === 'string' && !f.split(/[\\/]/).includes('..')))
      throw new FixtureError(`${manifest}: \`files\` lists paths inside the fixture's folder`);
    for (const f of raw.files as string[]) {
      if (!existsSync(join(root, f))) throw new FixtureError(`${manifest}: files: ${f} does not exist`);
      files.push(f);
    }
  }
  const fixture: Fixture = {
    dir: root,
    description: typeof raw.description === 'string' ? raw.description.trim() : '',
    targets,
    env,
    secrets,
    files,
    scenarios: [],
  };
  if (typeof raw.runbook === 'string') fixture.runbook = resolve(root, raw.runbook);
  const scenarioDir = join(root, 'scenarios');
  const scenarioFiles = existsSync(scenarioDir)
    ? readdirSync(scenarioDir)
        .filter((f) => /\.ya?ml$/.test(f))
        .sort()
    : [];
  if (scenarioFiles.length === 0) throw new FixtureError(`${dir}: no scenarios (scenarios/*.yaml)`);
  fixture.scenarios = scenarioFiles.map((f) => loadScenario(join(scenarioDir, f), fixture));
  return fixture;
}

function loadScenario(file: string, fixture: Fixture): Scenario {
  const raw = yamlMap(read(file), file);
  unknownKeys(raw, SCENARIO_KEYS, file);
  const name = basename(file).replace(/\.ya?ml$/, '');
  const scenario: Scenario = {
    name,
    file,
    description: typeof raw.description === 'string' ? raw.description.trim() : '',
    sql: {},
    httpState: {},
    inputs: {},
    answers: {},
    yes: false,
    expect: { status: 'passed', steps: {}, sql: [], http: [], state: {}, requests: {} },
  };
  const target = (t: string, kind: 'sql' | 'http', where: string): void => {
    if (fixture.targets[t]?.kind !== kind)
      throw new FixtureError(
        `${file}: ${where}: \`${t}\` is not one of the fixture's ${kind === 'sql' ? 'database' : 'HTTP'} targets (${
          Object.values(fixture.targets)
            .filter((x) => x.kind === kind)
            .map((x) => x.name)
            .join(', ') || 'none'
        })`,
      );
  };
  if (raw.sql !== undefined) {
    if (!isMap(raw.sql)) throw new FixtureError(`${file}: \`sql\` maps a database target to SQL text or files`);
    for (const [t, v] of Object.entries(raw.sql)) {
      target(t, 'sql', `sql.${t}`);
      scenario.sql[t] =
        typeof v === 'string'
          ? [{ file: `${file} (sql.${t})`, text: v }]
          : sqlFiles(v, fixture.dir, `${file}: sql.${t}`);
    }
  }
  if (raw.http !== undefined) {
    if (!isMap(raw.http)) throw new FixtureError(`${file}: \`http\` maps an HTTP target to { state: {...} }`);
    for (const [t, v] of Object.entries(raw.http)) {
      target(t, 'http', `http.${t}`);
      if (!isMap(v) || !isMap(v.state)) throw new FixtureError(`${file}: http.${t} must be { state: { name: value } }`);
      unknownKeys(v, ['state'], `${file}: http.${t}`);
      const spec = (fixture.targets[t] as { routes: StatefulSpec }).routes;
      for (const k of Object.keys(v.state))
        if (!Object.hasOwn(spec.state, k))
          throw new FixtureError(
            `${file}: http.${t}.state.${k}: the routes declare no state \`${k}\` (they have: ${Object.keys(spec.state).join(', ') || 'none'})`,
          );
      scenario.httpState[t] = v.state as Record<string, StateValue>;
    }
  }
  if (raw.inputs !== undefined) {
    if (!isMap(raw.inputs)) throw new FixtureError(`${file}: \`inputs\` maps input names to values`);
    scenario.inputs = Object.fromEntries(Object.entries(raw.inputs).map(([k, v]) => [k, String(v)]));
  }
  if (raw.answers !== undefined) {
    if (!isMap(raw.answers)) throw new FixtureError(`${file}: \`answers\` maps gate ids to answers, as --answers does`);
    scenario.answers = raw.answers;
  }
  if (raw.yes !== undefined) {
    if (typeof raw.yes !== 'boolean') throw new FixtureError(`${file}: \`yes\` is true or false`);
    scenario.yes = raw.yes;
  }
  if (raw.profile !== undefined) {
    if (typeof raw.profile !== 'string' || raw.profile === '')
      throw new FixtureError(`${file}: \`profile\` is the name of one of the runbook's profiles`);
    scenario.profile = raw.profile;
  }
  const expect = raw.expect ?? {};
  if (!isMap(expect)) throw new FixtureError(`${file}: \`expect\` must be a mapping`);
  unknownKeys(expect, EXPECT_KEYS, `${file}: expect`);
  if (expect.status !== undefined) {
    if (typeof expect.status !== 'string' || !RUN_STATUSES.includes(expect.status))
      throw new FixtureError(`${file}: expect.status is one of ${RUN_STATUSES.join(', ')}`);
    scenario.expect.status = expect.status;
  }
  if (expect.steps !== undefined) {
    if (!isMap(expect.steps)) throw new FixtureError(`${file}: expect.steps maps step ids to outcomes`);
    for (const [id, outcome] of Object.entries(expect.steps))
      if (typeof outcome !== 'string' || !OUTCOMES.includes(outcome))
        throw new FixtureError(`${file}: expect.steps.${id}: an outcome is one of ${OUTCOMES.join(', ')}`);
    scenario.expect.steps = expect.steps as Record<string, string>;
  }
  scenario.expect.sql = list(expect.sql, `${file}: expect.sql`).map((e, i) => {
    const where = `${file}: expect.sql[${i}]`;
    if (!isMap(e)) throw new FixtureError(`${where}: { target, query, rows | value | count }`);
    unknownKeys(e, ['target', 'query', 'rows', 'value', 'count'], where);
    const t = typeof e.target === 'string' ? e.target : singleTarget(fixture, 'sql', where);
    target(t, 'sql', `expect.sql[${i}]`);
    if (typeof e.query !== 'string') throw new FixtureError(`${where}: \`query\` is the SQL to run`);
    if (e.rows === undefined && !('value' in e) && e.count === undefined)
      throw new FixtureError(`${where}: say what to expect: \`rows\`, \`value\` or \`count\``);
    if (e.rows !== undefined && (!Array.isArray(e.rows) || !e.rows.every(isMap)))
      throw new FixtureError(`${where}: \`rows\` is a list of { column: value }`);
    if (e.count !== undefined && !Number.isInteger(e.count))
      throw new FixtureError(`${where}: \`count\` is a number of rows`);
    return { ...(e as unknown as SqlExpectation), target: t };
  });
  scenario.expect.http = list(expect.http, `${file}: expect.http`).map((e, i) => {
    const where = `${file}: expect.http[${i}]`;
    if (!isMap(e)) throw new FixtureError(`${where}: { target, request: GET /path, status, json }`);
    unknownKeys(e, ['target', 'request', 'status', 'json', 'contains'], where);
    const t = typeof e.target === 'string' ? e.target : singleTarget(fixture, 'http', where);
    target(t, 'http', `expect.http[${i}]`);
    if (typeof e.request !== 'string' || !/^[A-Z]+ \/\S*$/.test(e.request))
      throw new FixtureError(`${where}: \`request\` is \`METHOD /path\``);
    return { ...(e as unknown as HttpExpectation), target: t };
  });
  for (const key of ['state', 'requests'] as const) {
    const value = expect[key];
    if (value === undefined) continue;
    if (!isMap(value)) throw new FixtureError(`${file}: expect.${key} maps an HTTP target to a mapping`);
    for (const [t, v] of Object.entries(value)) {
      target(t, 'http', `expect.${key}.${t}`);
      if (!isMap(v)) throw new FixtureError(`${file}: expect.${key}.${t} must be a mapping`);
      if (key === 'requests' && !Object.values(v).every((n) => Number.isInteger(n)))
        throw new FixtureError(`${file}: expect.requests.${t} maps \`METHOD /path\` to a count`);
    }
    (scenario.expect as unknown as Record<string, unknown>)[key] = value;
  }
  return scenario;
}

function routesOf(routes: unknown, root: string, where: string): { routes: StatefulSpec; file: string } {
  if (typeof routes !== 'string') throw new FixtureError(`${where}.routes: name one YAML file`);
  const file = join(root, routes);
  try {
    return { routes: parseStatefulSpec(read(file), file), file };
  } catch (error) {
    if (error instanceof FixtureSpecError) throw new FixtureError(error.message);
    throw error;
  }
}

function singleTarget(fixture: Fixture, kind: 'sql' | 'http', where: string): string {
  const all = Object.values(fixture.targets).filter((t) => t.kind === kind);
  if (all.length !== 1)
    throw new FixtureError(`${where}: name its \`target\` (the fixture has ${all.length} ${kind} targets)`);
  return all[0]!.name;
}

function sqlFiles(value: unknown, root: string, where: string): { file: string; text: string }[] {
  const files = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(files) || !files.every((f) => typeof f === 'string'))
    throw new FixtureError(`${where}: a list of SQL files (relative to the fixture's folder)`);
  return files.map((f) => {
    const file = join(root, f);
    return { file, text: read(file) };
  });
}

function list(value: unknown, where: string): unknown[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new FixtureError(`${where} must be a list`);
  return value;
}

function read(file: string): string {
  try {
    return readTextFile(file, { what: 'fixture file' });
  } catch (error) {
    if (error instanceof FileReadError) throw new FixtureError(error.message);
    throw error;
  }
}

function yamlMap(text: string, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (error) {
    throw new FixtureError(`${file}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (value === null || value === undefined) return {};
  if (!isMap(value)) throw new FixtureError(`${file}: must be a mapping`);
  return value;
}

function unknownKeys(value: Record<string, unknown>, known: string[], where: string): void {
  for (const key of Object.keys(value))
    if (!known.includes(key)) throw new FixtureError(`${where}: unknown key \`${key}\` (known: ${known.join(', ')})`);
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether DIR is a fixture folder. */
export function isFixtureDir(dir: string): boolean {
  return existsSync(join(dir, 'fixture.yaml')) && statSync(dir).isDirectory();
}

/** The fixture a runbook names in its frontmatter (`fixture: ../fixtures/x`), resolved against the runbook. */
export function fixtureOf(runbookFile: string, frontmatter: Record<string, unknown> | undefined): string | undefined {
  const named = frontmatter?.fixture;
  return typeof named === 'string' ? resolve(dirname(runbookFile), named) : undefined;
}
