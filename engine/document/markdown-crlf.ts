/**
 * Documents written with CRLF line endings (Windows editors, git's autocrlf), parsed as their LF
 * form and given back the tree micromark makes of them as written.
 *
 * The readers of markdown-*.ts take lines of plain text, and a CR is not plain: every block of a
 * CRLF document went to micromark, at tens of µs a block (1 MB of CRLF prose: 5.5 s to check,
 * 1 MB of LF prose: 0.5 s). micromark reads CRLF as one line ending, so the tree of a document's
 * LF form differs from its own only where a CR would be: each point's offset is one less for
 * every line ending before it (its line and column are the same), and a value or label that
 * spans lines holds LF where the document has CRLF. Both are put back here.
 *
 * Only a document whose every line ending is CRLF is read so (mixed ones, and lone CRs, are
 * parsed as they are), and none with a character reference that decodes to a line ending (`&#10;`
 * would be a LF in a value that no line ending put there).
 */
import type { Nodes, Root } from 'mdast';

/** A character reference to LF or CR: its LF in a value would not be a line ending. */
const LINE_ENDING_REFERENCE = /&(?:#0*1[03];|#[xX]0*[aAdD];|NewLine;)/;

/**
 * The tree of `source` when its every line ending is CRLF, by `parse` of its LF form; null when
 * the document is not such (parse it as it is).
 */
export function parseCrlf(source: string, parse: (lf: string) => Root): Root | null {
  const first = source.indexOf('\r\n');
  if (first === -1 || /\r(?!\n)|(?<!\r)\n/.test(source) || LINE_ENDING_REFERENCE.test(source)) return null;
  const tree = parse(source.replaceAll('\r\n', '\n'));
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    const { position } = node;
    if (position) {
      position.start.offset = (position.start.offset ?? 0) + position.start.line - 1;
      position.end.offset = (position.end.offset ?? 0) + position.end.line - 1;
    }
    withCrlf(node as unknown as Record<string, unknown>);
    if ('children' in node) for (const child of node.children) stack.push(child as Nodes);
  }
  return tree;
}

/** Every LF in a node's strings (value, label, title, attributes, …) made CRLF, in place. */
function withCrlf(object: Record<string, unknown>): void {
  for (const key of Object.keys(object)) {
    if (key === 'children' || key === 'position') continue;
    const value = object[key];
    if (typeof value === 'string') {
      if (value.includes('\n')) object[key] = value.replaceAll('\n', '\r\n');
    } else if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
      withCrlf(value as Record<string, unknown>);
    }
  }
}
