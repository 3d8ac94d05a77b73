/**
 * The parser knows the step kinds only through the specs it is given: a kind it is not given is
 * an unknown directive, and a kind it is given is parsed, validated and described by its spec
 * alone (attributes, label, what its container holds, its leaf form, its generated id). Every
 * registered kind has a spec and a handler with the same name.
 */
import { describe, expect, it } from 'vitest';
import { parseRunbook } from '../../engine/document/parse.js';
import type { StepSpec, StepSpecs } from '../../engine/document/step-spec.js';
import { loadHandlers, STEP_KINDS, stepSpecs } from '../../engine/steps/registry.js';

/** A kind only this test knows: a ping to a host, written as a leaf (`host=`) or a container. */
const ping: StepSpec = {
  kind: 'ping',
  summary: 'pings a host',
  result: ['ms'],
  attributes: { host: { type: 'template', doc: 'the host to ping' } },
  label: 'required',
  labelIs: 'why it pings',
  content: 'code',
  leafRuns: { has: (step) => step.attributes.host !== undefined, what: 'a `host`' },
  codeIs: 'host list',
  idText: (attr) => attr('host'),
};

const parse = (source: string, specs: StepSpecs = { ...stepSpecs, ping }) => parseRunbook(source, 'ping.md', { specs });

describe('the parser asks the specs it is given', () => {
  it('a kind it is not given is prose, or an unknown directive when it carries what only steps carry', () => {
    expect(parse('::ping[why]{host=example.org}\n', stepSpecs).document.steps).toEqual([]);
    const { diagnostics } = parse('::ping[why]{#p host=example.org}\n', stepSpecs);
    expect(diagnostics.map((d) => d.rule)).toEqual(['unknown-directive']);
  });

  it('a kind it is given is a step, its id made as its spec says', () => {
    const { document, diagnostics } = parse('::ping{host=example.org}\n\n::ping[reach the gateway]{host=gw}\n');
    expect(document.steps.map((s) => [s.kind, s.id])).toEqual([
      ['ping', 'ping-example-org'],
      ['ping', 'ping-reach-the-gateway'],
    ]);
    expect(diagnostics.map((d) => d.message)).toEqual(['`ping` needs a label: why it pings']);
  });

  it('its messages say what the spec says the step needs and holds', () => {
    const leaf = parse('::ping[why]\n').diagnostics.map((d) => d.message);
    expect(leaf).toEqual([
      '`::ping` has nothing to run: give it a `host`, or use the container form with a fenced code block',
    ]);
    const container = parse(':::ping[why]\n:::\n').diagnostics.map((d) => d.hint);
    expect(container).toEqual(['put the host list in a ``` fence between `:::ping` and `:::`']);
  });
});

describe('the registry', () => {
  it('has a spec and a handler for every kind, each under its own name', async () => {
    expect(Object.keys(stepSpecs)).toEqual(STEP_KINDS);
    for (const kind of STEP_KINDS) expect(stepSpecs[kind]!.kind).toBe(kind);
    const handlers = await loadHandlers(STEP_KINDS);
    expect([...handlers.keys()]).toEqual(STEP_KINDS);
    for (const handler of handlers.values()) {
      expect(typeof handler.plan).toBe('function');
      expect(typeof handler.record).toBe('function');
      expect(typeof handler.execute).toBe('function');
    }
  });
});
