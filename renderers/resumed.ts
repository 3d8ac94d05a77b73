/** The part of a `run.resumed` line that says what the resume found in doubt. */
import type { RunResumedData } from '../engine/run/events.js';

/** Steps cut mid-way, and side effects cancelled or timed out after they started. */
export function resumeDoubts(data: Pick<RunResumedData, 'interrupted' | 'uncertain'>): string {
  const doubtful = (data.uncertain ?? []).filter((id) => !data.interrupted.includes(id));
  const cut = data.interrupted.length ? `; interrupted mid-step: ${data.interrupted.join(', ')}` : '';
  return `${cut}${doubtful.length ? `; cancelled or timed out after starting: ${doubtful.join(', ')}` : ''}`;
}
