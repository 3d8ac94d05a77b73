/**
 * Evaluates straight-line expressions (see isStraightLine: member access, literals, operators,
 * conditionals; no calls, functions or `new`) directly on the host, over read-only data. Each
 * operator is JavaScript's own, so the result is the one the sandbox would give. The host answers
 * only what it can answer exactly as the sandbox would: an own data property of the run's data,
 * a string's or array's length and elements. Anything else (an inherited property such as
 * `constructor`, `in`, `instanceof`, any error) throws NotOnHost, and the caller asks the
 * sandbox instead, so an answer never depends on which path gave it. This spares the vm2 round
 * trip for the conditions and assertions that make up most of a runbook.
 */
import { type AnyNode, parsedExpression } from './parsed.js';
export type Lookup = (name: string) => unknown;

/** The host cannot answer this exactly as the sandbox would: evaluate it there. */
export class NotOnHost extends Error {}

/** Only for a source isStraightLine accepts (so one acorn parses). */
export function compileStraightLine(source: string): (lookup: Lookup) => unknown {
  const { root, error } = parsedExpression(source);
  if (root === null) throw error;
  return (lookup) => run(root, lookup);
}

function member(object: unknown, key: unknown, optional: boolean): unknown {
  if (object === null || object === undefined) {
    if (optional) return undefined;
    throw new NotOnHost();
  }
  if (typeof key === 'symbol') throw new NotOnHost();
  const name = String(key);
  if (typeof object === 'string') {
    if (name === 'length') return object.length;
    if (/^(0|[1-9]\d*)$/.test(name)) return object[Number(name)];
    throw new NotOnHost();
  }
  if (typeof object !== 'object') throw new NotOnHost();
  if (Array.isArray(object) && name === 'length') return object.length;
  const own = Object.getOwnPropertyDescriptor(object, name);
  // Absent: JavaScript would look along the prototype chain (`constructor`, `map`), which only the sandbox may do.
  if (own === undefined) {
    if (Object.getPrototypeOf(object) === null) return undefined;
    throw new NotOnHost();
  }
  if (!('value' in own)) throw new NotOnHost();
  return own.value;
}

const SHORT = Symbol('short-circuit');

function run(node: AnyNode, lookup: Lookup): unknown {
  switch (node.type) {
    case 'Literal':
      return node.value;
    case 'Identifier':
      return node.name === 'undefined' ? undefined : lookup(node.name as string);
    case 'ParenthesizedExpression':
      return run(node.expression as AnyNode, lookup);
    case 'ChainExpression': {
      const value = run(node.expression as AnyNode, lookup);
      return value === SHORT ? undefined : value;
    }
    case 'MemberExpression': {
      const object = run(node.object as AnyNode, lookup);
      if (object === SHORT) return SHORT;
      if (node.optional && (object === null || object === undefined)) return SHORT;
      const key = node.computed ? run(node.property as AnyNode, lookup) : (node.property as AnyNode).name;
      return member(object, key, false);
    }
    case 'TemplateLiteral': {
      const quasis = node.quasis as AnyNode[];
      const expressions = node.expressions as AnyNode[];
      let out = '';
      quasis.forEach((q, i) => {
        out += (q.value as { cooked: string }).cooked;
        if (i < expressions.length) out += String(run(expressions[i]!, lookup));
      });
      return out;
    }
    case 'ArrayExpression':
      return (node.elements as AnyNode[]).map((e) => run(e, lookup));
    case 'ObjectExpression': {
      const out: Record<string, unknown> = {};
      for (const p of node.properties as AnyNode[]) {
        const keyNode = p.key as AnyNode;
        const key = p.computed
          ? String(run(keyNode, lookup))
          : String(keyNode.type === 'Identifier' ? keyNode.name : keyNode.value);
        if (key === '__proto__') throw new NotOnHost();
        out[key] = run(p.value as AnyNode, lookup);
      }
      return out;
    }
    case 'SequenceExpression': {
      let last: unknown;
      for (const e of node.expressions as AnyNode[]) last = run(e, lookup);
      return last;
    }
    case 'ConditionalExpression':
      return run(node.test as AnyNode, lookup)
        ? run(node.consequent as AnyNode, lookup)
        : run(node.alternate as AnyNode, lookup);
    case 'LogicalExpression': {
      const left = run(node.left as AnyNode, lookup);
      if (node.operator === '&&') return left ? run(node.right as AnyNode, lookup) : left;
      if (node.operator === '||') return left ? left : run(node.right as AnyNode, lookup);
      return left ?? run(node.right as AnyNode, lookup);
    }
    case 'UnaryExpression': {
      if (node.operator === 'typeof' && (node.argument as AnyNode).type === 'Identifier')
        return typeof lookup((node.argument as AnyNode).name as string);
      const v = run(node.argument as AnyNode, lookup) as never;
      switch (node.operator) {
        case '!':
          return !v;
        case '-':
          return -v;
        case '+':
          return +v;
        case '~':
          return ~v;
        case 'typeof':
          return typeof v;
        case 'void':
          return undefined;
      }
      throw new Error(`unsupported operator ${String(node.operator)}`);
    }
    case 'BinaryExpression': {
      const a = run(node.left as AnyNode, lookup) as never;
      const b = run(node.right as AnyNode, lookup) as never;
      switch (node.operator) {
        // The interpreter implements the language's own loose equality.
        case '==':
          // biome-ignore lint/suspicious/noDoubleEquals: see above
          return a == b;
        case '!=':
          // biome-ignore lint/suspicious/noDoubleEquals: see above
          return a != b;
        case '===':
          return a === b;
        case '!==':
          return a !== b;
        case '<':
          return a < b;
        case '<=':
          return a <= b;
        case '>':
          return a > b;
        case '>=':
          return a >= b;
        case '+':
          return (a as number) + (b as number);
        case '-':
          return a - b;
        case '*':
          return a * b;
        case '/':
          return a / b;
        case '%':
          return a % b;
        case '**':
          return (a as number) ** (b as number);
        case '&':
          return a & b;
        case '|':
          return a | b;
        case '^':
          return a ^ b;
        case '<<':
          return a << b;
        case '>>':
          return a >> b;
        case '>>>':
          return a >>> b;
        case 'in':
        case 'instanceof':
          throw new NotOnHost();
      }
      throw new Error(`unsupported operator ${String(node.operator)}`);
    }
  }
  throw new Error(`unsupported expression ${node.type}`);
}
