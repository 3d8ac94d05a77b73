/** engine/run/expectation.ts: how `expect=fail` reads each way a step can end. */
import { describe, expect, it } from 'vitest';
import { checkSource } from '../../engine/check/check.js';
import type { StepOutcome } from '../../engine/run/context.js';
import type { StepStatus } from '../../engine/run/events.js';
import { judge, passNotes, UNEXPECTED_PASS } from '../../engine/run/expectation.js';

const [failing, plain] = checkSource(
  '::shell{#f readonly run="x" expect=fail}\n\n::shell{#p readonly run="x"}\n',
  'expectation.md',
).document.steps;
const ended = (outcome: StepOutcome, status: StepStatus) => ({ outcome, status, ms: 7 });

describe('judge', () => {
  it.each([
    [
      'a failure of its own passes, keeping result and error',
      ended({ status: 'failed', error: 'exit code 3', result: { exitCode: 3 } }, 'failed'),
      ended({ status: 'passed', result: { exitCode: 3 }, expectedFailure: 'exit code 3' }, 'passed'),
    ],
    [
      'a failure with no result passes with a null result',
      ended({ status: 'failed', error: 'boom' }, 'failed'),
      ended({ status: 'passed', result: null, expectedFailure: 'boom' }, 'passed'),
    ],
    [
      'a pass fails, keeping its result',
      ended({ status: 'passed', result: { exitCode: 0 } }, 'passed'),
      ended({ status: 'failed', error: UNEXPECTED_PASS, result: { exitCode: 0 } }, 'failed'),
    ],
    [
      'a timeout stays timed out',
      ended({ status: 'failed', error: 'timed out' }, 'timed-out'),
      ended({ status: 'failed', error: 'timed out' }, 'timed-out'),
    ],
    [
      'a driver-reported timeout stays a failure',
      ended({ status: 'failed', error: 'timed out', timedOut: true }, 'failed'),
      ended({ status: 'failed', error: 'timed out', timedOut: true }, 'failed'),
    ],
    [
      'a cancel stays cancelled',
      ended({ status: 'failed', error: 'cancelled' }, 'cancelled'),
      ended({ status: 'failed', error: 'cancelled' }, 'cancelled'),
    ],
    [
      'a decline stays a decline',
      ended({ status: 'declined', error: 'no' }, 'failed'),
      ended({ status: 'declined', error: 'no' }, 'failed'),
    ],
    [
      'a block stays a block',
      ended({ status: 'blocked', error: 'no answer' }, 'failed'),
      ended({ status: 'blocked', error: 'no answer' }, 'failed'),
    ],
  ] as const)('expect=fail: %s', (_name, input, output) => {
    expect(judge(failing!, input)).toEqual(output);
  });

  it('a step expected to pass is left as it is', () => {
    const input = ended({ status: 'failed', error: 'exit code 1' }, 'failed');
    expect(judge(plain!, input)).toBe(input);
  });
});

describe('passNotes', () => {
  it('records a warning or an expected failure, and nothing for a plain pass', () => {
    expect(passNotes({ status: 'passed', result: 1, warning: 'w' })).toEqual({ warning: 'w' });
    expect(passNotes({ status: 'passed', result: 1, expectedFailure: 'e' })).toEqual({ expectedFailure: 'e' });
    expect(passNotes({ status: 'passed', result: 1 })).toEqual({});
  });
});
