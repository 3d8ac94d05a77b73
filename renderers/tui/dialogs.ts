/**
 * Dialogs as lines: confirms (with the steps they guard), danger gates (the phrase typed), input
 * steps and the runbook's inputs (fields with validation, choices as a list, secrets masked as
 * typed: a shared screen shows no secret), skip reasons, notes, quitting and help.
 */
import { describePlan } from '../results/index.js';
import type { FieldSpec, Pending } from './controller.js';
import { visibleDeep, visibleLine } from './escape.js';
import { cutLine, line, seg, textBlock, type StyledLine } from './lines.js';
import { stepOf, type Model } from './model.js';
import { fromDescribed } from './step-lines.js';

export type Overlay = { kind: 'note' } | { kind: 'skip' } | { kind: 'quit' } | { kind: 'help' };

export interface DialogState {
  text: string;
  choice: number;
  error: string;
  /** The runbook inputs form: which field. */
  index: number;
}

/** A field's text as drawn: a secret as one dot per character, never its characters. */
export function fieldText(field: Pick<FieldSpec, 'type'>, text: string): string {
  return field.type === 'secret' ? '•'.repeat(Array.from(text).length) : visibleLine(text);
}

/** A field's choices (choice and boolean fields), or null for a typed one. */
export function choicesOf(field: Pick<FieldSpec, 'type' | 'options'>): string[] | null {
  if (field.type === 'boolean') return ['yes', 'no'];
  if (field.type === 'choice' && field.options) return field.options.map((o) => String(o));
  return null;
}

function fieldLines(field: FieldSpec, state: DialogState, width: number): StyledLine[] {
  const lines: StyledLine[] = [];
  const choices = choicesOf(field);
  if (choices) {
    choices.forEach((c, i) => {
      lines.push(
        cutLine(
          [
            seg(i === state.choice ? '❯ ' : '  '),
            seg(visibleLine(c), i === state.choice ? { inverse: true } : undefined),
          ],
          width,
        ),
      );
    });
  } else {
    lines.push(cutLine([seg('> ', { bold: true }), seg(fieldText(field, state.text)), seg('█', { dim: true })], width));
    if (field.pattern) lines.push(cutLine(line(`must match ${visibleLine(field.pattern)}`, { dim: true }), width));
  }
  if (state.error) lines.push(...textBlock(state.error, width, { color: 'red' }));
  return lines;
}

export function dialogLines(
  model: Model,
  pending: Pending | undefined,
  overlay: Overlay | undefined,
  state: DialogState,
  width: number,
  shown: (text: string) => string,
  source: (id: string) => string,
  /** The step a note would be about: the one in view. */
  noteAbout?: string,
): StyledLine[] | null {
  if (overlay?.kind === 'help') return helpLines(width);
  if (overlay?.kind === 'quit')
    return [
      line('Quit?', { bold: true }),
      ...textBlock(
        `The run stops here: the running step is cancelled and run.interrupted is recorded. \`stepwise resume ${model.run.runId}\` continues it later.`,
        width,
      ),
      [],
      line('y quit · n or Esc stay', { dim: true }),
    ];
  if (overlay?.kind === 'skip' || overlay?.kind === 'note') {
    // A skip is of the step at hand; a note is about the step in view (the one `k` shows), as recorded.
    const subject = overlay.kind === 'note' ? (noteAbout ?? model.current) : model.current;
    const about = subject ? ` \`${subject}\`` : '';
    const asking = overlay.kind === 'skip' && (pending?.type === 'confirm' || pending?.type === 'input');
    return [
      line(
        overlay.kind === 'skip'
          ? `Skip${about}: why?`
          : `A note${about ? ` about${about}` : ''} (recorded with your name)`,
        { bold: true },
      ),
      ...(asking ? skipConsequence(model, pending, width) : []),
      cutLine([seg('> ', { bold: true }), seg(visibleLine(state.text)), seg('█', { dim: true })], width),
      ...(state.error ? textBlock(state.error, width, { color: 'red' }) : []),
      [],
      line('Enter records it · Esc cancels', { dim: true }),
    ];
  }
  if (!pending || pending.type === 'turn') return null;
  if (pending.type === 'inputs') {
    const field = pending.fields[state.index]!;
    return [
      line(`Inputs (${state.index + 1} of ${pending.fields.length}), asked before the run starts`, { bold: true }),
      [],
      ...textBlock(`${field.name}: ${field.question}`, width, { bold: true }),
      ...(field.defaultValue !== undefined && field.defaultValue !== null && field.type !== 'secret'
        ? [line(`default: ${visibleLine(String(field.defaultValue))} (Enter keeps it)`, { dim: true })]
        : []),
      ...fieldLines(field, state, width),
      [],
      line(`Enter ${choicesOf(field) ? 'chooses' : 'accepts'} · Esc quits`, { dim: true }),
    ];
  }
  if (pending.type === 'input') {
    const { request, field } = pending;
    return [
      line(`Input \`${visibleLine(request.stepId)}\`${request.type === 'secret' ? ' (secret: never shown)' : ''}`, {
        bold: true,
      }),
      ...textBlock(request.question, width),
      [],
      ...fieldLines(field, state, width),
      [],
      line(
        `Enter ${choicesOf(field) ? 'chooses' : 'answers'} · ${choicesOf(field) ? 's' : 'Tab'} skips (asks why) · Esc quits`,
        {
          dim: true,
        },
      ),
    ];
  }
  const { request, guarded } = pending;
  const lines: StyledLine[] = [];
  if (request.rerun) {
    lines.push(line(`Run \`${visibleLine(request.stepId)}\` again?`, { bold: true, color: 'yellow' }));
    lines.push(...textBlock(request.question, width));
    lines.push([], line('y run it again · n stop here', { dim: true }));
    return lines;
  }
  lines.push(
    cutLine(
      [
        seg(request.danger ? 'DANGER  ' : 'Confirm  ', {
          bold: true,
          color: request.danger ? 'red' : 'yellow',
          inverse: request.danger,
        }),
        seg(visibleLine(request.stepId), { dim: true }),
      ],
      width,
    ),
  );
  lines.push(...textBlock(request.question, width, { bold: true }));
  for (const id of guarded) {
    const s = model.steps.get(id);
    if (!s) continue;
    lines.push(
      [],
      cutLine(
        [
          seg('it guards: ', { dim: true }),
          seg(`${s.kind} ${visibleLine(id)}`, { bold: true }),
          seg(s.node.target ? ` on ${visibleLine(s.node.target)}` : '', { dim: true }),
        ],
        width,
      ),
    );
    // As it will run: template values filled in, secrets masked (the plan with the values known now).
    if (s.plan)
      lines.push(
        ...describePlan(s.kind, visibleDeep(s.plan), {
          paint: (c, t) => `\u0001${c}\u0002${t}\u0003`,
          width,
          planWidth: width,
          planLines: 12,
          maxLines: 14,
        }).map((l) => cutLine(fromDescribed(l, '  '), width)),
      );
    else {
      if (s.planError !== undefined)
        lines.push(
          ...textBlock(
            `not known yet, shown as written: ${visibleLine(s.planError)}`,
            width,
            { color: 'yellow' },
            '  ',
          ),
        );
      lines.push(...textBlock(shown(source(id)), width, { color: 'cyan' }, '  ').slice(0, 14));
    }
  }
  lines.push([]);
  if (request.danger) {
    lines.push(
      ...textBlock(`Type the phrase \`${request.phrase ?? ''}\` and press Enter to confirm; Esc declines.`, width),
    );
    lines.push(cutLine([seg('> ', { bold: true }), seg(visibleLine(state.text)), seg('█', { dim: true })], width));
    if (state.error) lines.push(...textBlock(state.error, width, { color: 'red' }));
    lines.push(line('Tab skips it (asks why)', { dim: true }));
  } else lines.push(line('y yes · n no · s skip (asks why)', { bold: true }));
  return lines;
}

/** What skipping a confirm or an input step means, said before the reason is typed. */
function skipConsequence(model: Model, pending: Pending | undefined, width: number): StyledLine[] {
  if (pending?.type === 'confirm') {
    const guarded = stepOf(model, pending.request.stepId)?.node.guards ?? [];
    return textBlock(
      guarded.length > 0
        ? `Skipping this confirm skips what it guards: ${guarded.map((id) => `\`${visibleLine(id)}\``).join(', ')} will not run (recorded as skipped because their confirm was skipped).`
        : 'Skipping this confirm: it guards no step.',
      width,
      { color: 'yellow' },
    );
  }
  if (pending?.type === 'input') {
    const id = pending.request.stepId;
    const readers = [
      ...new Set(model.graph.edges.filter((e) => e.from === id && e.why === 'reference').map((e) => e.to)),
    ];
    return textBlock(
      readers.length > 0
        ? `Skipping this input leaves its value absent: ${readers.map((r) => `\`${visibleLine(r)}\``).join(', ')} read${readers.length === 1 ? 's' : ''} it and will fail (or be skipped, if a condition reads it).`
        : 'Skipping this input leaves its value absent; no step reads it.',
      width,
      { color: 'yellow' },
    );
  }
  return [];
}

export const KEYS: [string, string][] = [
  ['Enter', 'run the current step'],
  ['s', 'skip it, or a confirm or input asking (asks for a reason; Tab in a typed field)'],
  ['r', 'retry a failed or cancelled step'],
  ['a', 'run every step up to the next gate or failure'],
  ['n', 'add a note (recorded with your name)'],
  ['j/k ↓/↑', 'view later/earlier steps (the run is not changed)'],
  ['Esc', 'back to the current step'],
  ['PgUp/PgDn', 'scroll long output'],
  ['q', 'quit (asks; the run is recorded interrupted)'],
  ['Ctrl-C', 'cancel the running step (the run stays: r, s or q); again, or idle: quit'],
  ['?', 'this help'],
];

function helpLines(width: number): StyledLine[] {
  return [
    line('Keys', { bold: true }),
    ...KEYS.map(([k, what]) => cutLine([seg(k.padEnd(11), { bold: true }), seg(what)], width)),
    [],
    line('any key closes this help', { dim: true }),
  ];
}
