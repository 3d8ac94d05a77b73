/**
 * Plain text: what micromark's block parse (inline constructs off, markdown.ts) keeps exactly as
 * written and cannot read as the start of another block, in a paragraph or a list item's first
 * line. It starts with a letter, a digit (not an ordered list's `1.` or `1)`) or a single
 * backtick (three open a fence); it holds no backslash or `&` (escapes and character references
 * are decoded), no `|` (a table), no tab, no carriage return or NUL; it ends in a character that
 * is not white space (trailing spaces make a hard break or are dropped).
 * The stand-ins of markdown-lists.ts and markdown-paragraphs.ts take only such text.
 */
export const PLAIN_TEXT = /(?!\d{1,9}[.)](?: |$))(?:[\p{L}\p{N}]|`(?!``))(?:[^\\&|\t\r\0]*[^\\&|\s\0])?/u.source;

/** An ATX heading in the first column: it ends every block before it, and interrupts a paragraph. */
export const HEADING = /^#{1,6}(?:[ \t]|$)/;

/** A directive's name, as micromark-extension-directive reads it and Stepwise's names are written. */
const NAME = '[A-Za-z0-9](?:[A-Za-z0-9_-]*[A-Za-z0-9])?';

/**
 * A leaf directive alone on its line in the first column: `::`, a name, a label of plain text or
 * none, no attributes. micromark reads it as one wherever a line in the first column starts a
 * block: like an ATX heading, it interrupts a paragraph and closes any list, block quote,
 * footnote definition or table open above it.
 */
export const LEAF = new RegExp(`^::${NAME}(?:${/\[[^[\]\\`]*\]/.source})?[ \t]*$`);

/** A leaf directive with its name only (nothing after it): its node is its name and place. */
export const BARE_LEAF = new RegExp(`^::(${NAME})$`);

/** A line that may open an HTML block of types 6 or 7, or be a table's (both run on to a blank line). */
export const OPAQUE = /^ {0,3}<|\|/;

/**
 * A line in the first column that ends every block open above it but a `:::` container, an HTML
 * block or a table (OPAQUE, markdown-lists.ts), and is a block of one line: an ATX heading or a
 * leaf directive (LEAF). A paragraph or list may start on the line after it.
 */
export const CLOSER = new RegExp(`${HEADING.source}|${LEAF.source}`);
