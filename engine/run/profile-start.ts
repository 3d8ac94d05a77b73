/**
 * A profile marked `confirm-start` asks its question before the first step: "You are about to run
 * against PROD. Continue?". It is asked through the responder's confirm, like a gate, under the id
 * `profile:NAME` (no step id holds a colon): the terminal asks the operator; headless, `--yes` or
 * `profile:NAME: yes` in the answers file answers it, and nothing else does. The answer is
 * recorded as `confirm.answered` with that id. "No" ends the run `declined`, no answer ends it
 * `blocked` (exit 3 both), Ctrl-C or `q` while it asks ends it `interrupted` (exit 5); no step has run.
 */
import { startGateId } from '../document/profiles-model.js';
import type { StepGraph } from '../graph/model.js';
import type { RunMode, StepStatus } from './events.js';
import { RUN_EXIT } from './exit-codes.js';
import type { Recorder } from './recorder.js';
import type { Responder } from './responder.js';
import type { RunProfile } from './profile.js';
import type { RunSummary } from './runner.js';

/** Asks the profile's start question when it has one: null to go on, or the summary of a run that ended here. */
export async function confirmStart(
  parts: { profile?: RunProfile; mode: RunMode; responder: Responder; graph: StepGraph; signal: AbortSignal },
  recorder: Recorder,
): Promise<RunSummary | null> {
  const { profile, responder } = parts;
  // A dry run executes nothing, so there is nothing to confirm.
  if (profile?.confirmStart == null || parts.mode === 'dry-run') return null;
  const stepId = startGateId(profile.name);
  const answer = await responder.confirm({ stepId, question: profile.confirmStart, danger: false, phrase: null });
  if (answer.answered)
    await recorder.record({
      type: 'confirm.answered',
      data: { stepId, answer: answer.value, by: answer.by, via: answer.via },
    });
  if (answer.answered && answer.value) return null;
  const status = parts.signal.aborted ? 'interrupted' : answer.answered ? 'declined' : 'blocked';
  if (status === 'interrupted')
    await recorder.record({
      type: 'run.interrupted',
      data: {
        reason: String((parts.signal.reason as Error)?.message ?? parts.signal.reason ?? 'interrupted'),
        ...(typeof parts.signal.reason === 'string' ? { signal: parts.signal.reason } : {}),
      },
    });
  const exitCode = RUN_EXIT[status];
  const counts: Record<StepStatus, number> = {
    passed: 0,
    failed: 0,
    skipped: 0,
    'timed-out': 0,
    cancelled: 0,
    interrupted: 0,
  };
  await recorder.record({ type: 'run.finished', data: { status, exitCode, ms: 0, counts } });
  return {
    status,
    exitCode,
    counts,
    ms: 0,
    notRun: parts.graph.nodes.map((n) => n.id),
    warnings: 0,
    stoppedBy: `${stepId}: ${answer.answered ? `declined to start against profile \`${profile.name}\`` : status === 'interrupted' ? 'interrupted before the first step' : answer.why}`,
  };
}
