/**
 * What `check` says about a confirm:
 * - `danger-phrase`: a `danger` confirm must say what the responder types to pass it
 *   (runbooks/README.md, "Safety defaults").
 * - `confirm-decline`: what "no" means. `on-fail=continue` cannot say it (a decline is not a
 *   failure): `on-decline=skip` does, and it then skips the steps the confirm guards; a confirm
 *   with on-decline=skip that guards nothing would let "no" skip nothing.
 */
import { stepRule } from '../../check/rule.js';
import type { StepGraph } from '../../graph/model.js';

export const dangerPhrase = stepRule('confirm', {
  name: 'danger-phrase',
  reports: ['danger-without-phrase'],
  *check(step) {
    const danger = step.attributes.danger;
    if (danger?.type !== 'boolean' || !danger.value) return;
    const phrase = step.attributes.phrase;
    if (phrase?.type === 'template' && phrase.template.source.trim() !== '') return;
    yield {
      rule: 'danger-without-phrase',
      message: `danger confirm \`${step.id}\` has no \`phrase\` for the responder to type`,
      span: danger.span,
      hint: 'add phrase="..." (e.g. the name of what is about to be changed)',
    };
  },
});

export const confirmDecline = stepRule('confirm', {
  name: 'confirm-decline',
  reports: ['confirm-on-fail', 'decline-skips-nothing'],
  *check(step, { graph }) {
    const onFail = step.raw.find((a) => a.name === 'on-fail');
    if (step.onFail === 'continue' && onFail) {
      yield {
        rule: 'confirm-on-fail',
        message: `\`on-fail=continue\` on the confirm \`${step.id}\` does not make "no" go on: a declined confirm stops the run`,
        span: onFail.nameSpan,
        hint: 'write on-decline=skip to let "no" skip the steps this confirm guards and go on',
      };
    }
    const onDecline = step.attributes['on-decline'];
    const guards = guardsOf(graph).get(step.id) ?? [];
    if (onDecline?.type === 'enum' && onDecline.value === 'skip' && guards.length === 0) {
      yield {
        rule: 'decline-skips-nothing',
        message: `\`${step.id}\` has on-decline=skip, but it guards no step, so "no" would skip nothing and the run would go on`,
        span: onDecline.span,
        hint: `put the steps it should guard after it in its section, or give them when="${step.id}.answer"`,
      };
    }
  },
});

export const confirmChecks = [dangerPhrase, confirmDecline];

/** The steps each confirm guards, by its id: built once per graph, not once per confirm. */
const guardMaps = new WeakMap<StepGraph, Map<string, string[]>>();
function guardsOf(graph: StepGraph): Map<string, string[]> {
  let map = guardMaps.get(graph);
  if (map === undefined) {
    map = new Map(graph.nodes.map((n) => [n.id, n.guards]));
    guardMaps.set(graph, map);
  }
  return map;
}
