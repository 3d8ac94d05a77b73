/**
 * micromark's EditMap.consume, in time linear in what it changes instead of in the whole event
 * list. micromark's document tokenizer moves a container's exits back before its flow whenever a
 * line closes the flow of a container that goes on (a list item ending in an HTML block or a
 * fence, a block quote's code ended by a lazy line): an edit at the tail of the document's
 * events, which consume applied by copying every event before it, twice. A document of such
 * lines took the square of its length: 32 KB of `- - <div>` 14.7 s, of `-\t> @` and a blank
 * line 22 s (issue #13: every input of 1 MB under 2 s).
 *
 * The events before the first edit are the same after it: this consume leaves them in place and
 * rebuilds the rest as the original does (micromark-util-edit-map 1.0.0, index.js), so the events
 * are the same, in the same order, the same objects. It is installed on the class micromark
 * imports (one copy in node_modules, bundled once), before the first parse, by importing this
 * module (markdown.ts does).
 */
import { EditMap } from 'micromark-util-edit-map';
import type { Event } from 'micromark-util-types';

EditMap.prototype.consume = function consume(this: EditMap, events: Event[]): undefined {
  const map = this.map;
  map.sort((a, b) => a[0] - b[0]);
  if (map.length === 0) return;
  // From the last edit back: keep what follows it, then its additions; cut the list at its index.
  const pieces: Event[][] = [];
  for (let index = map.length - 1; index >= 0; index--) {
    const [at, remove, add] = map[index]!;
    pieces.push(events.slice(at + remove), add);
    events.length = at;
  }
  // `events` is now what came before the first edit, untouched: append the rest after it.
  for (let index = pieces.length - 1; index >= 0; index--) for (const event of pieces[index]!) events.push(event);
  map.length = 0;
  this.index.clear();
};
