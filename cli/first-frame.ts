/**
 * The terminal UI's first frame, drawn by `run` as soon as the runbook is checked: the header and
 * the outline, without Ink or React (loading them takes longer than reading the runbook). The
 * terminal UI's own first frame replaces it; the store, the targets and the plans come after.
 */
import type { RunbookDocument } from '../engine/document/model.js';
import type { StepGraph } from '../engine/graph/model.js';
import { firstFrame } from '../renderers/tui/frame-lines.js';
import { buildModel } from '../renderers/tui/model.js';
import { wantsColor, type Io } from './command.js';

export function drawFirstFrame(
  io: Io,
  document: RunbookDocument,
  graph: StepGraph,
  runId: string,
  operator: string,
  profile?: string,
): void {
  const stdout = io.stdout as NodeJS.WriteStream;
  const model = buildModel(document, graph, runId);
  model.run.operator = operator;
  if (profile !== undefined) model.run.profile = profile;
  stdout.write(
    firstFrame(model, stdout.columns || 80, stdout.rows || 24, wantsColor(stdout, io.env), 'opening the terminal UI…'),
  );
}
