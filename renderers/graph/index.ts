/** The graph formats by name. */
import { dot } from './dot.js';
import { json } from './json.js';
import { mermaid } from './mermaid.js';
import { text } from './text.js';

export const graphFormats = { text, mermaid, dot, json } as const;
export type GraphFormatName = keyof typeof graphFormats;
