/**
 * The line scan that finds steps without the Markdown parser (renderers/report/locate.ts) agrees
 * with the parser wherever it answers, and answers null wherever it could be wrong.
 */
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../engine/document/parse.js';
import { stepSpecs } from '../../engine/steps/registry.js';
import { locateSteps } from '../../renderers/report/locate.js';

const KINDS = new Set(Object.keys(stepSpecs));

const PLAIN = `---
title: Plain
targets:
  db: { kind: sqlite, path: ./x.db }
---

# Section

::sql{#one target=db query="SELECT 1"}

:::shell{#two readonly}
\`\`\`bash
echo '::: and ::sql{#not-a-step}'
\`\`\`
:::

\`\`\`markdown
::shell{#example run="echo in a fence"}
\`\`\`

::::if{that="one.rowCount > 0"}
## Inside

::assert[Holds]{#three that="one.rowCount == 1"}

:::sql{#four target=db}
\`\`\`sql
SELECT 4
\`\`\`
:::
::::

::note[Done]{#five}
`;

function parsed(source: string) {
  return parseRunbook(source, 'x.md', { specs: stepSpecs }).document.steps.map((s) => ({
    id: s.id,
    kind: s.kind,
    start: s.span.start.offset,
    end: s.span.end.offset,
  }));
}

describe('locateSteps', () => {
  it('finds what the parser finds, where it finds it, in a runbook of explicit ids', () => {
    const located = locateSteps(PLAIN, KINDS);
    expect(located).not.toBeNull();
    expect(located!.map((s) => s.id)).toEqual(['one', 'two', 'three', 'four', 'five']);
    const lineOf = (offset: number): number => PLAIN.slice(0, offset).split('\n').length;
    const byParser = parsed(PLAIN);
    expect(byParser.map((s) => s.id)).toEqual(located!.map((s) => s.id));
    for (const [i, s] of located!.entries()) {
      expect(s.kind).toBe(byParser[i]!.kind);
      expect(s.start, s.id).toBe(byParser[i]!.start);
      // The same last line (the parser may end a span before or after trailing spaces).
      expect(lineOf(s.end), s.id).toBe(lineOf(byParser[i]!.end));
    }
  });

  it.each([
    ['a generated id', '::shell{readonly run="echo hi"}\n'],
    ['a duplicated id', '::shell{#a run="echo"}\n\n::shell{#a run="echo"}\n'],
    ['a directive in a block quote', '> ::shell{#a run="echo"}\n'],
    ['a directive in a list', '- ::shell{#a run="echo"}\n'],
    ['attributes past the line', '::shell{#a\nrun="echo"}\n'],
    ['an unclosed container', ':::shell{#a}\necho\n'],
    ['an unclosed fence', '```\n::shell{#a run="echo"}\n'],
    ['colons in a fence in a container', ':::shell{#a}\n```bash\n:::\n```\n:::\n'],
  ])('answers null for %s', (_what, source) => {
    expect(locateSteps(source, KINDS)).toBeNull();
  });
});
