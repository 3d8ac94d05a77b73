/**
 * What a real `stepwise` process loads: NODE_OPTIONS for a child process that appends every
 * module it requires (the bundle is CommonJS: builtins by name, packages by path) or imports (by
 * URL) to a log file, one per line. Tests read the log to show that a command never loaded a
 * package (drivers, the TUI) it must not need.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const HOOK = `const { appendFileSync } = require('node:fs');
const Module = require('node:module');
const log = process.env.STEPWISE_MODULE_LOG;
if (log) {
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    let name = request;
    try {
      name = Module._resolveFilename(request, parent, isMain);
    } catch {}
    appendFileSync(log, name + '\\n');
    return load.apply(this, arguments);
  };
  Module.register('data:text/javascript,' + encodeURIComponent(\`
import { appendFileSync } from 'node:fs';
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  appendFileSync(\${JSON.stringify(log)}, result.url + '\\\\n');
  return result;
}\`));
}
`;

/** The environment that makes a child process log what it loads to `log`; the hook is written into `dir`. */
export function moduleLogEnv(dir: string, log: string): Record<string, string> {
  const hook = join(dir, 'module-log-hook.cjs');
  writeFileSync(hook, HOOK);
  writeFileSync(log, '');
  return { NODE_OPTIONS: `--require ${hook}`, STEPWISE_MODULE_LOG: log };
}

/** The modules a process logged, in the order it loaded them. */
export function loadedModules(log: string): string[] {
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}
