/**
 * acorn's parseExpressionAt, with acorn loaded the first time an expression needs it: the
 * expressions most runbooks hold (comparisons of member paths and literals) are read without it
 * (parsed.ts), and loading it took about 15 ms of a run's start. The graph, templates and any
 * other expression load it on their first parse.
 */
import { createRequire } from 'node:module';
import type * as Acorn from 'acorn';

const require = createRequire(import.meta.url);
let acorn: typeof Acorn | undefined;

export const parseExpressionAt: typeof Acorn.parseExpressionAt = (input, pos, options) =>
  (acorn ??= require('acorn') as typeof Acorn).parseExpressionAt(input, pos, options);
