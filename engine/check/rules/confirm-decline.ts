/**
 * What "no" means at a confirm. `on-fail=continue` cannot say it (a decline is not a failure):
 * `on-decline=skip` does, and it then skips the steps the confirm guards; a confirm with
 * on-decline=skip that guards nothing would let "no" skip nothing.
 */
import { at, type Rule } from '../rule.js';

export const confirmDecline: Rule = ({ document, graph }) => {
  const out = [];
  const guards = new Map(graph.nodes.map((n) => [n.id, n.guards]));
  for (const step of document.steps) {
    if (step.kind !== 'confirm') continue;
    const onFail = step.raw.find((a) => a.name === 'on-fail');
    if (step.onFail === 'continue' && onFail) {
      out.push(
        at(step, document, {
          severity: 'error',
          rule: 'confirm-on-fail',
          message: `\`on-fail=continue\` on the confirm \`${step.id}\` does not make "no" go on: a declined confirm stops the run`,
          span: onFail.nameSpan,
          hint: 'write on-decline=skip to let "no" skip the steps this confirm guards and go on',
        }),
      );
    }
    const onDecline = step.attributes['on-decline'];
    if (onDecline?.type === 'enum' && onDecline.value === 'skip' && (guards.get(step.id) ?? []).length === 0) {
      out.push(
        at(step, document, {
          severity: 'warning',
          rule: 'decline-skips-nothing',
          message: `\`${step.id}\` has on-decline=skip, but it guards no step, so "no" would skip nothing and the run would go on`,
          span: onDecline.span,
          hint: `put the steps it should guard after it in its section, or give them when="${step.id}.answer"`,
        }),
      );
    }
  }
  return out;
};
