/** A checklist item (`- [ ] …`) → a confirm the responder answers when it is done. */
import type { ListItem } from 'mdast';
import { toString as textOf } from 'mdast-util-to-string';
import { stepId } from './ids.js';
import { emptyNeeds } from './needs.js';
import { addGroup, type Plan } from './plan.js';
import { plain } from './text.js';
import type { Place } from './types.js';
import { confirm } from './units.js';

export function checkItem(plan: Plan, item: ListItem, base: Place): void {
  const first = item.children[0];
  const text = plain(first?.type === 'paragraph' ? textOf(first) : textOf(item));
  if (text === '') return;
  const id = stepId(plan, text, 'check');
  addGroup(plan, {
    after: base.after,
    indent: base.indent,
    line: item.position!.start.line,
    units: [confirm(id, `${text.replace(/[?.:]$/, '')}: done?`, null, false)],
    needs: emptyNeeds(),
    what: 'checklist item',
    review: [],
  });
}
