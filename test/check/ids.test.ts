/**
 * Ids of steps written without `{#id}` come from the step's own content: readable, valid, never
 * starting with a digit, and stable when other steps are added, removed or moved.
 */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import { ID_PATTERN } from '../../engine/document/step-builder.js';

const FM = `---
targets:
  db: { kind: sqlite, path: x.db }
  api: { kind: http, base: "http://127.0.0.1:8000" }
---
`;

const ids = (body: string): string[] => {
  const { document, diagnostics } = checkSource(`${FM}${body}`, '/tmp/ids.md');
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return document.steps.map((s) => s.id);
};

describe('generated step ids', () => {
  it('come from the kind and the label, or the first words of what the step runs', () => {
    const body = `
# 2 Restart

::confirm[Restart the worker?]

::shell{readonly run="systemctl status worker --no-pager"}

:::sql{target=db}
\`\`\`sql
SELECT id FROM orders WHERE status = 'PROCESSING'
\`\`\`
:::

::http{target=api path=/health}

:::http{target=api}
\`\`\`http
POST /plans/{{ inputs.plan }}/reset
\`\`\`
:::

::note[Done: {{ 1 + 1 }} orders handled.]

::note[5xx rate is back under 1%]

::set{total="1 + 1"}
`;
    const { document } = checkSource(`${FM.replace('---\n', '---\ninputs:\n  plan: 1\n')}${body}`, '/tmp/ids.md');
    expect(document.steps.map((s) => s.id)).toEqual([
      'confirm-restart-the-worker',
      'shell-systemctl-status-worker-no',
      'sql-select-id-from-orders',
      'http-get-health',
      'http-post-plans-reset',
      'note-done-orders-handled',
      'note-5xx-rate-is-back-under-1',
      'set-total',
    ]);
    for (const step of document.steps) expect(step.id).toMatch(ID_PATTERN);
    for (const step of document.steps) expect(step.id).toMatch(/^[A-Za-z]/);
  });

  it('stay the same when a step is added before them in the same section', () => {
    const before = ids('\n## Recover\n\n::confirm[Go on?]\n\n::note[Recovered]\n');
    const after = ids(
      '\n## Recover\n\n::note[First look at the dashboard]\n\n::confirm[Go on?]\n\n::note[Recovered]\n',
    );
    expect(before).toEqual(['confirm-go-on', 'note-recovered']);
    expect(after).toEqual(['note-first-look-at-the-dashboard', 'confirm-go-on', 'note-recovered']);
  });

  it('get a suffix from their own text only on a real collision, whatever their order', () => {
    const a = '::confirm[Continue?]{when="true"}';
    const b = '::confirm[Continue?]{when="1 == 1"}';
    const one = ids(`\n${a}\n\n${b}\n\n::note[Alone]\n`);
    const other = ids(`\n${b}\n\n${a}\n\n::note[Alone]\n`);
    expect(one[0]).toMatch(/^confirm-continue-[0-9a-f]{6}$/);
    expect(one[1]).toMatch(/^confirm-continue-[0-9a-f]{6}$/);
    expect(one[0]).not.toBe(one[1]);
    expect(other).toEqual([one[1], one[0], 'note-alone']);
  });

  it('never take an explicit id', () => {
    const [generated, explicit] = ids('\n::note[Hello]\n\n::note[Other]{#note-hello}\n');
    expect(explicit).toBe('note-hello');
    expect(generated).toMatch(/^note-hello-[0-9a-f]{6}$/);
  });

  it('identical steps in one section are told apart', () => {
    const [a, b] = ids('\n::confirm[Continue?]\n\n::confirm[Continue?]\n');
    expect(a).toMatch(/^confirm-continue-[0-9a-f]{6}$/);
    expect(b).toBe(`${a}-2`);
  });

  it('a label with no usable words falls back to the body, then to the kind', () => {
    expect(ids('\n::note[日本語]\n\n::sql[🙂]{target=db query="select 1"}\n')).toEqual(['note', 'sql-select-1']);
  });
});
