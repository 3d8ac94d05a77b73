/** A shell script as a step body: placeholders as inputs, `$SECRET`s as secrets, other variables declared as env. */
import { findPlaceholders, isShellOwn, type Needs, SECRETISH, secretName, valueTemplate } from './needs.js';

export function shellTemplate(script: string, needs: Needs, line: number): string {
  const local = new Set<string>();
  for (const m of script.matchAll(
    /(?:^|[\s;(])(?:export\s+|local\s+|readonly\s+|declare\s+(?:-\w+\s+)*)?([A-Za-z_]\w*)=/gm,
  ))
    local.add(m[1]!);
  for (const m of script.matchAll(/\b(?:for|select)\s+([A-Za-z_]\w*)\s+in\b/g)) local.add(m[1]!);
  for (const m of script.matchAll(/\bread\s+(?:-\w+\s+(?:\S+\s+)?)*([A-Za-z_]\w*)/g)) local.add(m[1]!);
  const placeholders = findPlaceholders(script, false);
  let out = '';
  let quote: '' | "'" | '"' = '';
  let p = 0;
  for (let i = 0; i < script.length; i++) {
    const ph = placeholders[p];
    if (ph !== undefined && i === ph.start) {
      out += valueTemplate(ph, needs, line);
      i = ph.end - 1;
      p++;
      continue;
    }
    const c = script[i]!;
    if (c === '{' && script[i + 1] === '{') {
      out += '\\{{';
      i++;
      continue;
    }
    if (quote === "'") {
      if (c === "'") quote = '';
      out += c;
      continue;
    }
    if (c === '\\') {
      out += script.slice(i, i + 2);
      i++;
      continue;
    }
    if (c === "'" && quote === '') quote = "'";
    else if (c === '"') quote = quote === '"' ? '' : '"';
    else if (c === '$') {
      const m = /^\$(?:\{([A-Za-z_]\w*)\}|([A-Za-z_]\w*))/.exec(script.slice(i));
      if (m) {
        const name = (m[1] ?? m[2])!;
        if (!local.has(name) && !isShellOwn(name)) {
          if (SECRETISH.test(name)) {
            needs.secrets.add(secretName(name));
            out += `{{ secrets.${secretName(name)} }}`;
            i += m[0].length - 1;
            continue;
          }
          needs.env.add(name);
        }
      }
    }
    out += c;
  }
  return out;
}
