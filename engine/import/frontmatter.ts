/**
 * The draft's frontmatter: whether the plain runbook's own frontmatter can take the declarations
 * (it is a YAML map without `targets`, `inputs`, `secrets` or `env`), and the lines that declare
 * what the kept steps need.
 */
import type { Root } from 'mdast';
import { parse as parseYaml } from 'yaml';
import type { Needs } from './needs.js';

export interface FrontmatterFit {
  /** The frontmatter's closing `---` line (1-based), or 0 when there is none. */
  end: number;
  /** Why the declarations cannot go into it; null when they can. */
  problem: string | null;
}

export function readFrontmatter(tree: Root): FrontmatterFit {
  const yaml = tree.children.find((c) => c.type === 'yaml');
  if (!yaml) return { end: 0, problem: null };
  const end = yaml.position!.end.line;
  let value: unknown;
  try {
    value = parseYaml(yaml.value);
  } catch {
    return { end, problem: 'the frontmatter is not YAML (a template?): Stepwise cannot add its declarations to it' };
  }
  if (value === null || value === undefined) return { end, problem: null };
  if (typeof value !== 'object' || Array.isArray(value))
    return { end, problem: 'the frontmatter is not a YAML map: Stepwise cannot add its declarations to it' };
  const taken = ['targets', 'inputs', 'secrets', 'env'].filter((k) => k in (value as object));
  if (taken.length > 0)
    return {
      end,
      problem: `the frontmatter already has ${taken.map((k) => `\`${k}\``).join(', ')}: declare the steps' needs there by hand`,
    };
  return { end, problem: null };
}

/**
 * The frontmatter lines a draft's needs take. An input the plain runbook shows an example value
 * for (`examples`) gets it as its default, unless a step that changes something reads it
 * (`gated`): there the example goes into its description, and the input stays required.
 */
export function frontmatterLines(
  needs: Needs,
  examples: ReadonlyMap<string, string> = new Map(),
  gated: ReadonlySet<string> = new Set(),
): string[] {
  const out: string[] = [];
  if (needs.targets.size > 0) {
    out.push('targets:');
    for (const [name, decl] of needs.targets) out.push(`  ${name}: ${decl}`);
  }
  if (needs.inputs.size > 0) {
    out.push('inputs:');
    for (const [name, input] of [...needs.inputs].sort()) {
      const example = examples.get(name);
      const fits = example !== undefined && (input.type === 'string' || /^-?\d+(\.\d+)?$/.test(example));
      if (fits && !gated.has(name)) {
        const value = input.type === 'string' ? JSON.stringify(example) : example;
        out.push(
          `  ${name}: { type: ${input.type}, default: ${value}, description: ${JSON.stringify(input.description)} }`,
        );
      } else {
        const description = example === undefined ? input.description : `${input.description}, for example ${example}`;
        out.push(`  ${name}: { type: ${input.type}, description: ${JSON.stringify(description)} }`);
      }
    }
  }
  if (needs.secrets.size > 0) out.push(`secrets: [${[...needs.secrets].sort().join(', ')}]`);
  if (needs.env.size > 0) out.push(`env: [${[...needs.env].sort().join(', ')}]`);
  return out;
}
