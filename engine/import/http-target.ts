/**
 * The target a request goes to, and its path as a template. One target per origin (`api`, then
 * named after the host or port), declared with an environment variable to override it; a bare
 * `/path` goes to the origin most of the runbook's requests go to.
 */
import { variableTemplate } from './http-values.js';
import { inputName, type Needs, secretName, templatize } from './needs.js';
import type { Plan } from './plan.js';
import type { Word } from './shell-lines.js';
import { flow } from './text.js';

/** The target a URL goes to, and its path as a template. */
export function urlParts(
  plan: Plan,
  word: Word,
  needs: Needs,
  line: number,
): { target: string; path: string; rawPath: string } | null {
  let text = '';
  const vars: string[] = [];
  for (const p of word) {
    if ('lit' in p) text += p.lit;
    else if ('variable' in p) {
      text += `\u0001${vars.length}\u0001`;
      vars.push(p.variable);
    } else return null;
  }
  const m = /^(?:([a-z][\w+.-]*):\/\/)?([^/?#\s]*)(.*)$/is.exec(text.trim())!;
  let scheme = m[1] ?? null;
  let host = m[2]!;
  let rest = m[3]!;
  if (text.trim().startsWith('/')) {
    host = '';
    rest = text.trim();
  }
  if (scheme === null && host !== '' && !host.includes('\u0001') && !/[.:]|^localhost$/.test(host)) {
    // `curl health` is not a URL we can read: keep it as a path on the default target
    rest = `/${host}${rest}`;
    host = '';
  }
  let target: string;
  const given = plan.options.targets;
  const givenHttp =
    given === undefined
      ? undefined
      : Object.keys(given).find(
          (n) => /http|base/.test(JSON.stringify(given[n] ?? '')) || /^https?:/.test(String(given[n])),
        );
  if (givenHttp !== undefined) {
    target = givenHttp;
    needs.targets.set(target, flow(given![target]));
  } else {
    let base: string;
    let key: string;
    const onlyVar = /^\u0001(\d+)\u0001$/.exec(host);
    const envName = (name: string): string => `${secretName(name)}_URL`;
    if (host === '' && plan.hints.primary !== null) {
      key = plan.hints.primary;
      base = key;
      host = key.replace(/^\w+:\/\//, '');
    } else if (host === '') {
      key = '';
      base = '';
    } else if (onlyVar && scheme === null) {
      const v = vars[Number(onlyVar[1])]!;
      key = `$${v}`;
      base = `\${${v}:-http://localhost}`;
    } else if (host.includes('\u0001')) {
      const hostText = host.replace(/\u0001(\d+)\u0001/g, (_, n: string) => `\${${vars[Number(n)]}:-localhost}`);
      scheme ??= 'http';
      key = `${scheme}://${host}`;
      base = `${scheme}://${hostText}`;
    } else {
      scheme ??= 'http';
      key = `${scheme}://${host.toLowerCase()}`;
      base = key;
    }
    const existing = plan.httpTargets.get(key);
    if (existing !== undefined) target = existing;
    else {
      const all = [...plan.httpTargets.values(), ...plan.sqlTargets.values()];
      let name = 'api';
      if (all.includes('api') || (plan.httpTargets.size > 0 && key !== '')) {
        const bare = host.replace(/\u0001\d+\u0001/g, 'host');
        const port = /:(\d+)$/.exec(bare)?.[1];
        const hostname = bare.replace(/:\d+$/, '');
        if (/^(localhost|[\d.]+|\[[\d:a-f]+\])$/i.test(hostname)) name = port ? `api_${port}` : 'api';
        else {
          const labels = hostname.split('.').filter((l) => !/^(www|api|com|org|net|io|app|dev|co)$/.test(l));
          name = inputName(labels.slice(0, 2).join('_') || 'api');
        }
      }
      for (let n = 2; all.includes(name); n++) name = `${name.replace(/_\d+$/, '')}_${n}`;
      if (base === '') base = `\${${envName(name)}:-http://localhost:8000}`;
      else if (!base.startsWith('${')) base = `\${${envName(name)}:-${base}}`;
      plan.httpTargets.set(key, name);
      plan.httpTargetDecls.set(name, `{ kind: http, base: ${JSON.stringify(base)} }`);
      target = name;
    }
    needs.targets.set(target, plan.httpTargetDecls.get(target)!);
  }
  if (rest === '' || rest.startsWith('?')) rest = `/${rest}`;
  const rawPath = rest.replace(/\u0001(\d+)\u0001/g, (_, n: string) => `$${vars[Number(n)]}`);
  let path = '';
  let cursor = 0;
  for (const v of rest.matchAll(/\u0001(\d+)\u0001/g)) {
    path += templatize(rest.slice(cursor, v.index), needs, line, true, true);
    path += variableTemplate(vars[Number(v[1])]!, needs, false);
    cursor = v.index + v[0].length;
  }
  path += templatize(rest.slice(cursor), needs, line, true, true);
  return { target, path, rawPath };
}
