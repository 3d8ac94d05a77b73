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
