/**
 * shell: the exit code and the last lines of stdout and stderr (where a script says how it
 * ended), saying when output was cut; a plan is the script, then the values it reads from its
 * environment, marked as values.
 */
import { clean } from '../clean.js';
import {
  asNumber,
  asString,
  dim,
  head,
  literal,
  plural,
  shortDigest,
  styled,
  tail,
  textLines,
  type Line,
  type ResultDescriber,
} from './describer.js';

export const shell = {
  summary(r) {
    return `exit ${r.exitCode}${r.stdout ? `: ${clean(String(r.stdout).trim().split('\n').pop() ?? '', 80)}` : ''}`;
  },
  result(result, context) {
    const exit =
      result.exitCode === null ? 'no exit code (killed by a signal)' : `exit ${asNumber(result.exitCode) ?? '?'}`;
    const lines: Line[] = [`${exit}${asNumber(result.ms) === undefined ? '' : `  ${result.ms} ms`}`];
    for (const stream of ['stdout', 'stderr'] as const) {
      const text = asString(result[stream]) ?? '';
      if (text === '' || context.streamed) continue;
      const all = textLines(text);
      lines.push(dim(`${stream}:`), ...tail(all, context.lines, '  '));
    }
    if (result.truncated === true) {
      const whole = (['stdout', 'stderr'] as const).flatMap((s) => {
        const bytes = asNumber(result[`${s}Bytes`]);
        const digest = shortDigest(result[`${s}Sha256`]);
        return bytes ? [`${s} ${plural(bytes, 'byte')} in all${digest ? ` (${digest})` : ''}`] : [];
      });
      lines.push(
        dim(`truncated: the transcript keeps each stream's first bytes${whole.length ? `; ${whole.join(', ')}` : ''}`),
      );
    }
    return lines;
  },
  plan(plan, context) {
    const env = Object.entries(plan.env ?? {});
    return [
      ...head(textLines(plan.text ?? plan.summary), context.planLines),
      ...(env.length === 0
        ? []
        : [
            dim('environment values (the script reads them as variables; never part of its text):'),
            ...env.map(([name, value]) => styled('36', `  $${name} = ${literal(value)}`)),
          ]),
    ];
  },
} satisfies ResultDescriber;
