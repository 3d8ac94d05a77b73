/**
 * Drill results as JUnit XML, for CI: one `<testsuite>` per runbook, one `<testcase>` per
 * scenario. A missed expectation is a `<failure>` listing every miss (expectation, expected,
 * actual); a drill that could not run is an `<error>`. Text is escaped for XML 1.0 (characters it
 * cannot hold are dropped, terminal control sequences removed).
 */
import { relative } from 'node:path';
import type { ScenarioResult } from './drill.js';

const NOT_XML = /[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;
const ANSI = /\u001b\[[0-9;?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export function xml(text: string): string {
  return text
    .replace(ANSI, '')
    .replace(NOT_XML, '')
    .replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

const attr = (text: string): string => xml(text).replace(/[\t\n\r]/g, (c) => `&#${c.charCodeAt(0)};`);

export function drillJunit(results: ScenarioResult[], cwd: string, ms: number): string {
  const byRunbook = new Map<string, ScenarioResult[]>();
  for (const r of results) byRunbook.set(r.runbook, [...(byRunbook.get(r.runbook) ?? []), r]);
  const count = (list: ScenarioResult[], what: ScenarioResult['result']): number =>
    list.filter((r) => r.result === what).length;
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="stepwise drill" tests="${results.length}" failures="${count(results, 'failed')}" errors="${count(results, 'error')}" time="${(ms / 1000).toFixed(3)}">`,
  ];
  for (const [runbook, list] of byRunbook) {
    const name = relative(cwd, runbook) || runbook;
    const time = list.reduce((t, r) => t + r.ms, 0);
    lines.push(
      `  <testsuite name="${attr(name)}" tests="${list.length}" failures="${count(list, 'failed')}" errors="${count(list, 'error')}" time="${(time / 1000).toFixed(3)}">`,
    );
    for (const r of list) {
      const head = `    <testcase classname="${attr(name)}" name="${attr(r.scenario)}" time="${(r.ms / 1000).toFixed(3)}"`;
      if (r.result === 'passed') {
        lines.push(`${head}/>`);
        continue;
      }
      lines.push(`${head}>`);
      if (r.result === 'failed') {
        const text = r.misses.map((m) => `${m.expectation}: expected ${m.expected}, got ${m.actual}`).join('\n');
        lines.push(
          `      <failure message="${attr(`${r.misses.length} expectation${r.misses.length === 1 ? '' : 's'} missed: ${r.misses[0]?.expectation ?? ''}`)}" type="expectation">${xml(text)}</failure>`,
        );
      } else {
        lines.push(
          `      <error message="${attr(r.error ?? 'the drill could not run')}" type="drill">${xml(r.error ?? '')}</error>`,
        );
      }
      lines.push(
        `      <system-out>${xml(
          `run ${r.runId}: ${r.runStatus ?? 'not run'}; targets: ${Object.entries(r.targets)
            .map(([k, v]) => `${k}=${v}`)
            .join(', ')}`,
        )}</system-out>`,
      );
      lines.push('    </testcase>');
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
