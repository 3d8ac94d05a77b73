/**
 * The first frame `run` draws without Ink while the terminal UI loads: the header and outline of
 * the checked runbook, inside 80×24, its texts made inert like the terminal UI's, colour only
 * when it is on. Its module loads neither Ink nor React (it is on the path before them).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { firstFrame } from '../../renderers/tui/frame-lines.js';
import { buildModel } from '../../renderers/tui/model.js';
import { checked } from './helpers.js';

const RUNBOOK = `---
title: "Stuck \\u001b]0;pwned\\u0007 payments"
---

# Stuck payments

## Look

:::shell{#look readonly}
\`\`\`bash
echo look
\`\`\`
:::

## Fix

::confirm[Fix it?]{#go}

:::shell{#fix}
\`\`\`bash
echo fix
\`\`\`
:::
`;

describe('the first frame, before Ink', () => {
  it('shows the title and outline in 80×24, inert, in colour only when asked', () => {
    const { document, graph } = checked(RUNBOOK);
    const model = buildModel(document, graph, 'r-first');
    model.run.operator = 'alice';
    model.steps.get('look')!.mark = 'passed'; // a mark with a colour
    const plain = firstFrame(model, 80, 24, false, 'opening the terminal UI…');
    expect(plain.startsWith('\u001b[?1049h\u001b[H\u001b[2J')).toBe(true);
    const body = plain.slice('\u001b[?1049h\u001b[H\u001b[2J'.length);
    const rows = body.split('\r\n').map((r) => r.replace(/\u001b\[[0-9;]*m/g, ''));
    expect(rows.length).toBeLessThanOrEqual(24);
    for (const r of rows) expect([...r].length).toBeLessThanOrEqual(80);
    expect(rows[0]).toContain('Stuck');
    expect(rows[1]).toContain('run r-first · alice');
    for (const text of ['Look', 'look shell', 'Fix', 'go confirm', 'fix shell'])
      expect(rows.join('\n')).toContain(text);
    expect(rows.at(-1)).toContain('opening the terminal UI…');
    // The title's OSC is shown escaped, never sent: no BEL, no ESC ] anywhere.
    expect(body).not.toContain('\u0007');
    expect(body).not.toContain('\u001b]');
    expect(body).not.toMatch(/\u001b\[[0-9;]*3[1-6][0-9;]*m/);
    expect(firstFrame(model, 80, 24, true, 'x')).toMatch(/\u001b\[[0-9;]*3[1-6][0-9;]*m/);
  });

  it('its modules import neither Ink nor React', () => {
    for (const file of ['renderers/tui/frame-lines.ts', 'renderers/tui/model.ts', 'cli/first-frame.ts']) {
      const source = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
      expect(source).not.toMatch(/from '(ink|react)['/]/);
    }
  });
});
