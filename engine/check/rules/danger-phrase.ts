/** A `danger` confirm must say what the responder types to pass it (runbooks/README.md, "Safety defaults"). */
import { at, type Rule } from '../rule.js';

export const dangerPhrase: Rule = ({ document }) => {
  const out = [];
  for (const step of document.steps) {
    if (step.kind !== 'confirm') continue;
    const danger = step.attributes.danger;
    if (danger?.type !== 'boolean' || !danger.value) continue;
    const phrase = step.attributes.phrase;
    if (phrase?.type === 'template' && phrase.template.source.trim() !== '') continue;
    out.push(
      at(step, document, {
        severity: 'error',
        rule: 'danger-without-phrase',
        message: `danger confirm \`${step.id}\` has no \`phrase\` for the responder to type`,
        span: danger.span,
        hint: 'add phrase="..." (e.g. the name of what is about to be changed)',
      }),
    );
  }
  return out;
};
