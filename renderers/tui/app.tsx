/**
 * The terminal UI: header, outline, the viewed step (prose, plan, output, result), a dialog when
 * the run waits for an answer, and a footer with the keys that work now. Keys drive the
 * controller; the controller drives the engine session through its responder.
 */
import { Box, useInput, useStdout, type Key } from 'ink';
import { useEffect, useMemo, useReducer, useRef, useState, useSyncExternalStore } from 'react';
import type { TuiController } from './controller.js';
import { choicesOf, dialogLines, type DialogState, type Overlay } from './dialogs.js';
import { visibleLine } from './escape.js';
import { cutLine, line, seg, textBlock, type StyledLine } from './lines.js';
import { stepSource } from './model.js';
import { stepLines } from './step-lines.js';
import { ColorContext, headerLines, Lines, outlineLines } from './views.js';

export interface AppProps {
  controller: TuiController;
  /** Colours on (NO_COLOR off). */
  color: boolean;
  /** Masks secrets in the runbook's own text (prose, steps as written). */
  shown?: (text: string) => string;
  /** Columns and rows, when not the terminal's (tests). */
  size?: { columns: number; rows: number };
}

const EMPTY: DialogState = { text: '', choice: 0, error: '', index: 0 };

function useSize(fixed: AppProps['size']): { columns: number; rows: number } {
  const { stdout } = useStdout();
  const read = () => fixed ?? { columns: stdout.columns || 80, rows: stdout.rows || 24 };
  const [size, setSize] = useState(read);
  useEffect(() => {
    if (fixed) return;
    const onResize = () => setSize({ columns: stdout.columns || 80, rows: stdout.rows || 24 });
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout, fixed]);
  return fixed ?? size;
}

/** Printable text typed into a field (pasted text too), control characters dropped. */
function typed(input: string, key: Key): string {
  if (key.ctrl || key.meta || key.escape || key.return || key.tab) return '';
  return input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function edit(text: string, input: string, key: Key): string {
  if (key.backspace || key.delete) return Array.from(text).slice(0, -1).join('');
  return text + typed(input, key);
}

export function App({ controller, color, shown = (t) => t, size: fixed }: AppProps) {
  useSyncExternalStore(controller.subscribe, controller.version);
  const { columns, rows } = useSize(fixed);
  const model = controller.model;
  // The UI's own state lives in a ref the key handler reads, so a key typed right after another
  // (before React has re-subscribed the handler) sees what the previous key did.
  const ui = useRef<{ viewed: string | undefined; scroll: number; overlay: Overlay | undefined; dialog: DialogState }>({
    viewed: undefined,
    scroll: 0,
    overlay: undefined,
    dialog: EMPTY,
  }).current;
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const setViewed = (v: string | undefined): void => {
    ui.viewed = v;
    redraw();
  };
  const setScroll = (v: number | ((s: number) => number)): void => {
    ui.scroll = typeof v === 'function' ? v(ui.scroll) : v;
    redraw();
  };
  const setOverlay = (v: Overlay | undefined): void => {
    ui.overlay = v;
    redraw();
  };
  const setDialog = (v: DialogState): void => {
    ui.dialog = v;
    redraw();
  };
  const [frame, setFrame] = useState(0);
  const pending = controller.pending;

  // A new question resets the dialog (a default offered as the field's text; a choice at its default).
  const asked = useRef<unknown>(undefined);
  const sync = (): void => {
    const now = controller.pending;
    if (asked.current === now) return;
    asked.current = now;
    const field = now?.type === 'input' ? now.field : now?.type === 'inputs' ? now.fields[0] : undefined;
    ui.dialog = { ...EMPTY, ...(field ? initialField(field) : {}) };
    ui.scroll = 0;
  };
  sync();
  const { viewed, scroll, overlay, dialog } = ui;

  const running = [...model.steps.values()].some((s) => s.mark === 'running');
  useEffect(() => {
    const timer = setInterval(() => setFrame((f) => f + 1), running ? 120 : 1000);
    return () => clearInterval(timer);
  }, [running]);

  const current = model.current ?? model.order[0];
  const viewId = viewed ?? current;
  const wide = columns >= 100;
  const height = Math.max(8, rows - 1);
  const footerHeight = 2;
  const headerHeight = 2;
  const bodyHeight = height - headerHeight - footerHeight;
  const outlineWidth = wide ? Math.min(40, Math.floor(columns * 0.3)) : columns;
  // Narrow: the outline is a strip above the step view, and gives its room to a dialog.
  const asking = overlay !== undefined || (pending !== undefined && pending.type !== 'turn');
  const outlineHeight = wide ? bodyHeight : asking ? 0 : Math.min(Math.max(3, Math.floor(bodyHeight / 3)), 6);
  const viewWidth = wide ? columns - outlineWidth - 1 : columns;
  const viewHeight = wide ? bodyHeight : bodyHeight - outlineHeight - 1;

  const sourceOf = (id: string): string => {
    const step = model.document.steps.find((s) => s.id === id);
    return step ? stepSource(model.document, step) : '';
  };
  const dialogView = dialogLines(model, pending, overlay, dialog, viewWidth, shown, sourceOf, viewId);
  const step = viewId ? model.steps.get(viewId) : undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the model is mutable; its version says when it changed
  const view = useMemo(
    () =>
      step
        ? stepLines(model, step, {
            width: viewWidth,
            outputLines: Math.max(3, viewHeight - 6),
            shown,
            source: (s) => sourceOf(s.id),
            frame,
          })
        : { lines: [], anchor: 0 },
    [model.version, step, viewWidth, viewHeight, frame],
  );
  // The view opens at the step itself (the prose above it is a PgUp away); a line says where it is when it scrolls.
  const overflow = view.lines.length > viewHeight;
  const rowsShown = overflow ? viewHeight - 1 : viewHeight;
  const maxScroll = Math.max(0, view.lines.length - rowsShown, overflow ? view.anchor : 0);
  const top = Math.max(0, Math.min(view.anchor + scroll, maxScroll));
  const body: StyledLine[] = dialogView
    ? dialogWindow(dialogView, viewHeight)
    : [
        ...view.lines.slice(top, top + rowsShown),
        ...(overflow
          ? [
              line(
                `lines ${top + 1}-${Math.min(top + viewHeight - 1, view.lines.length)} of ${view.lines.length} · PgUp/PgDn`,
                { dim: true },
              ),
            ]
          : []),
      ];

  // From the controller's model, not this render's: a key read before the render after a step's
  // turn began (Ink subscribes each render's handler after it commits) would move from the step
  // before it, and j/k on a fast machine viewed the step it meant to leave.
  const move = (delta: number): void => {
    const order = controller.model.order;
    const now = controller.model.current ?? order[0];
    const at = Math.max(0, order.indexOf(ui.viewed ?? now ?? ''));
    const next = order[Math.max(0, Math.min(order.length - 1, at + delta))];
    ui.scroll = 0;
    setViewed(next === now ? undefined : next);
    setScroll(0);
  };

  const ctrlC = (): void => {
    if (controller.readOnly || controller.ended || controller.abort.signal.aborted) {
      controller.exit();
      return;
    }
    // The first Ctrl-C cancels the running step alone; with nothing running (or again), it quits.
    const id = controller.runningStep();
    if (id !== undefined && controller.cancelStep(`Ctrl-C pressed by ${controller.operator}`)) {
      setOverlay(undefined);
      setDialog(EMPTY);
      controller.message = `cancelling \`${visibleLine(id)}\`: then r retries it, s skips it, q quits; Ctrl-C again quits`;
      controller.changed(true);
      return;
    }
    controller.message = 'interrupting: the run stops here; Ctrl-C again quits at once';
    controller.interrupt(new Error(`Ctrl-C pressed by ${controller.operator}`));
  };

  /** Whether keys are being typed into a field (a paste arrives as one string and stays one). */
  const typing = (): boolean => {
    const p = controller.pending;
    const o = ui.overlay;
    if (o) return o.kind === 'note' || o.kind === 'skip';
    if (p?.type === 'inputs' || p?.type === 'input') return true;
    return p?.type === 'confirm' && p.request.danger && !p.request.rerun;
  };

  useInput((input, raw) => {
    // Keys pressed quickly arrive together (`kk`, `drop-cache\r`, `\x7f\x7fab`): Enter, Backspace
    // and Ctrl-C in them are keys of their own; outside a field every character is a key of its own,
    // in a field a run of characters is typed as one (a paste).
    if (input.length > 1 && !input.includes('\u001b') && !raw.ctrl && !raw.meta) {
      const none = Object.fromEntries(Object.keys(raw).map((k) => [k, false])) as unknown as Key;
      for (const part of input.match(/[\r\n]|[\u007f\b]|\u0003|[^\r\n\u007f\b\u0003]+/g) ?? []) {
        if (part === '\r' || part === '\n') handle('', { ...none, return: true });
        else if (part === '\u007f' || part === '\b') handle('', { ...none, backspace: true });
        else if (part === '\u0003') handle('c', { ...none, ctrl: true });
        else if (typing()) handle(part, none);
        else for (const ch of part) handle(ch, none);
      }
      return;
    }
    handle(input, raw);
  });

  function handle(input: string, raw: Key): void {
    // Enter typed before the terminal was in raw mode arrives as a newline.
    const key = input === '\n' || input === '\r' ? { ...raw, return: true } : raw;
    if (key.ctrl && input === 'c') return ctrlC();
    // What is true now, not at the last render.
    sync();
    const pending = controller.pending;
    const { overlay, dialog } = ui;
    const viewId = ui.viewed ?? controller.model.current ?? model.order[0];
    // A message stays until the next key (an interruption's until the end).
    if (!controller.abort.signal.aborted) controller.message = '';
    if (overlay?.kind === 'help') return setOverlay(undefined);
    if (overlay?.kind === 'quit') {
      if (input === 'y' || input === 'Y') {
        setOverlay(undefined);
        controller.message = 'quitting: the run is recorded as interrupted';
        controller.interrupt(new Error(`quit by ${controller.operator}`), { leave: true });
      } else if (input === 'n' || input === 'N' || key.escape) setOverlay(undefined);
      return;
    }
    if (overlay?.kind === 'note' || overlay?.kind === 'skip') {
      if (key.escape) {
        setOverlay(undefined);
        setDialog(EMPTY);
      } else if (key.return) {
        const text = dialog.text.trim();
        if (text === '')
          return setDialog({
            ...dialog,
            error: overlay.kind === 'skip' ? 'say why it is skipped' : 'the note is empty',
          });
        if (overlay.kind === 'skip') {
          const asking = controller.pending;
          if (asking?.type === 'confirm' || asking?.type === 'input') controller.skipAsking(text);
          else controller.skip(text);
        } else controller.note(text, viewId);
        setOverlay(undefined);
        setDialog(EMPTY);
      } else setDialog({ ...dialog, text: edit(dialog.text, input, key), error: '' });
      return;
    }
    if (pending?.type === 'inputs') {
      const field = pending.fields[dialog.index]!;
      if (key.escape) return setOverlay({ kind: 'quit' });
      const answered = answerField(field, dialog, input, key, setDialog);
      if (answered === undefined) return;
      const values = {
        ...(dialog as DialogState & { values?: Record<string, string> }).values,
        [field.name]: answered,
      };
      if (dialog.index + 1 < pending.fields.length) {
        const nextField = pending.fields[dialog.index + 1]!;
        setDialog({ ...EMPTY, ...initialField(nextField), index: dialog.index + 1, values } as DialogState);
      } else controller.submitInputs(values);
      return;
    }
    const skipKey = (typingNow: boolean): boolean => (typingNow ? key.tab : input === 's' || key.tab);
    if (pending?.type === 'input') {
      if (key.escape) return setOverlay({ kind: 'quit' });
      if (skipKey(choicesOf(pending.field) === null)) {
        setDialog(EMPTY);
        return setOverlay({ kind: 'skip' });
      }
      const answered = answerField(pending.field, dialog, input, key, setDialog);
      if (answered !== undefined) controller.answerInput(answered);
      return;
    }
    if (pending?.type === 'confirm') {
      const { request } = pending;
      if (!request.rerun && skipKey(request.danger)) {
        setDialog(EMPTY);
        return setOverlay({ kind: 'skip' });
      }
      if (request.danger && !request.rerun) {
        if (key.escape) return controller.answerConfirm(false);
        if (key.return) {
          if (dialog.text === (request.phrase ?? '')) return controller.answerConfirm(true);
          return setDialog({ ...dialog, error: 'the phrase does not match: type it exactly, or Esc to decline' });
        }
        return setDialog({ ...dialog, text: edit(dialog.text, input, key), error: '' });
      }
      if (input === 'y' || input === 'Y') controller.answerConfirm(true);
      else if (input === 'n' || input === 'N' || key.escape) controller.answerConfirm(false);
      else if (input === 'q') setOverlay({ kind: 'quit' });
      else if (input === '?') setOverlay({ kind: 'help' });
      return;
    }
    // The main keys.
    const turn = pending?.type === 'turn' ? pending.turn : undefined;
    if (key.return) {
      if (controller.ended) controller.exit();
      else if (turn) {
        setViewed(undefined);
        controller.run();
      }
    } else if (input === 'a' && turn && !turn.failed) {
      setViewed(undefined);
      controller.runAll();
    } else if (input === 's' && turn) {
      setViewed(undefined);
      setDialog(EMPTY);
      setOverlay({ kind: 'skip' });
    } else if (input === 'r' && turn?.failed) {
      setViewed(undefined);
      controller.retry();
    } else if (input === 'n' && controller.canNote()) {
      setDialog(EMPTY);
      setOverlay({ kind: 'note' });
    } else if (input === 'j' || key.downArrow) move(1);
    else if (input === 'k' || key.upArrow) move(-1);
    else if (key.pageDown || input === ' ')
      setScroll((s) => Math.min(s + Math.max(1, viewHeight - 2), maxScroll - view.anchor));
    else if (key.pageUp) setScroll((s) => Math.max(s - Math.max(1, viewHeight - 2), -view.anchor));
    else if (key.escape) {
      setViewed(undefined);
      setScroll(0);
    } else if (input === '?') setOverlay({ kind: 'help' });
    else if (input === 'q') {
      if (controller.ended || controller.readOnly) controller.exit();
      else setOverlay({ kind: 'quit' });
    }
  }

  const header = headerLines(model, columns, controller.now(), controller.readOnly);
  const outline = outlineLines(model, viewId, wide ? outlineWidth : columns, outlineHeight, frame);
  const footer = footerLines(controller, overlay, columns, viewed);

  return (
    <ColorContext.Provider value={color}>
      <Box flexDirection="column" width={columns} height={height}>
        <Lines lines={header} height={headerHeight} width={columns} />
        {wide ? (
          <Box flexDirection="row" height={bodyHeight}>
            <Lines lines={outline} height={bodyHeight} width={outlineWidth} />
            <Box width={1} height={bodyHeight} />
            <Lines lines={body} height={viewHeight} width={viewWidth} />
          </Box>
        ) : (
          <>
            <Lines lines={outline} height={outlineHeight} width={columns} />
            <Lines lines={[line('─'.repeat(columns), { dim: true })]} height={1} width={columns} />
            <Lines lines={body} height={viewHeight} width={columns} />
          </>
        )}
        <Lines lines={footer} height={footerHeight} width={columns} />
      </Box>
    </ColorContext.Provider>
  );
}

/** The last lines of a dialog when it is taller than its room (its field and keys are at the end). */
function dialogWindow(lines: StyledLine[], height: number): StyledLine[] {
  return lines.length <= height ? lines : lines.slice(lines.length - height);
}

function initialField(field: { type: string; options: unknown[] | null; defaultValue: unknown }): Partial<DialogState> {
  const choices = choicesOf(field as never);
  const fallback = field.defaultValue;
  if (choices) {
    const wanted =
      field.type === 'boolean' ? (/^(false|no|0|off)$/i.test(String(fallback)) ? 'no' : 'yes') : String(fallback ?? '');
    return { choice: Math.max(0, choices.indexOf(wanted)) };
  }
  return { text: field.type === 'secret' || fallback === undefined || fallback === null ? '' : String(fallback) };
}

/** Handles a key in a field: the answer when Enter accepts it, else undefined (the field changed or said why not). */
function answerField(
  field: import('./controller.js').FieldSpec,
  dialog: DialogState,
  input: string,
  key: Key,
  setDialog: (d: DialogState) => void,
): string | undefined {
  const choices = choicesOf(field);
  if (choices) {
    if (key.upArrow || input === 'k') setDialog({ ...dialog, choice: Math.max(0, dialog.choice - 1) });
    else if (key.downArrow || input === 'j')
      setDialog({ ...dialog, choice: Math.min(choices.length - 1, dialog.choice + 1) });
    else if (key.return) {
      const value = field.type === 'boolean' ? (dialog.choice === 0 ? 'true' : 'false') : choices[dialog.choice]!;
      const problem = field.check(value);
      if (problem) setDialog({ ...dialog, error: problem });
      else return value;
    }
    return undefined;
  }
  if (key.return) {
    const problem = field.check(dialog.text);
    if (problem) setDialog({ ...dialog, error: problem });
    else return dialog.text;
    return undefined;
  }
  setDialog({ ...dialog, text: edit(dialog.text, input, key), error: '' });
  return undefined;
}

function footerLines(
  controller: TuiController,
  overlay: Overlay | undefined,
  width: number,
  viewing: string | undefined,
): StyledLine[] {
  const p = controller.pending;
  const model = controller.model;
  let status: StyledLine;
  let keys: string;
  if (controller.ended) {
    const [first, ...rest] = controller.ended.lines;
    status = cutLine(
      line(visibleLine(first ?? ''), { bold: true, color: controller.ended.code === 0 ? 'green' : 'red' }),
      width,
    );
    keys = `q exit · j/k view${rest.length > 0 ? ` · ${visibleLine(rest.join(' · '))}` : ''}`;
  } else if (controller.readOnly) {
    const f = model.run.finished;
    status = f
      ? cutLine(
          line(
            `${f.status.toUpperCase()}${f.warnings > 0 ? ` with ${f.warnings} warning${f.warnings === 1 ? '' : 's'}` : ''}  ${f.counts.passed} passed, ${f.counts.failed + f.counts['timed-out']} failed, ${f.counts.skipped} skipped`,
            { bold: true },
          ),
          width,
        )
      : line(`following run ${visibleLine(model.run.runId)}: ${model.run.events} events`, { dim: true });
    keys = 'j/k view steps · PgUp/PgDn scroll · Esc current · ? help · q quit';
  } else if (overlay) {
    status = line('');
    keys = '';
  } else if (p?.type === 'turn') {
    const id = visibleLine(p.turn.stepId);
    status = p.turn.failed
      ? cutLine(
          [
            seg(`✗ ${id} ${p.turn.failed.status}: `, { color: 'red', bold: true }),
            seg(visibleLine(p.turn.failed.error)),
          ],
          width,
        )
      : cutLine([seg('waiting: ', { color: 'yellow', bold: true }), seg(`Enter runs ${id}`)], width);
    keys = p.turn.failed
      ? 'r retry · s skip · Enter keep the failure · n note · j/k view · ? help · q quit'
      : 'Enter run · s skip · a run to next gate · n note · j/k view · ? help · q quit';
  } else if (p) {
    status = line('waiting for your answer', { color: 'yellow', bold: true });
    keys = 'Ctrl-C cancel this step';
  } else {
    const runningStep = [...model.steps.values()].find((s) => s.mark === 'running');
    status = runningStep
      ? cutLine(
          line(`running ${visibleLine(runningStep.id)}${controller.auto ? ' (running to the next gate)' : ''}`, {
            color: 'cyan',
          }),
          width,
        )
      : line(controller.progress || (model.run.runId ? 'starting' : 'opening'), { dim: true });
    keys = 'Ctrl-C cancel the step · n note · j/k view · PgUp/PgDn · ? help · q quit';
  }
  if (controller.message && !controller.ended) status = textBlock(controller.message, width, { color: 'yellow' })[0]!;
  else if (viewing && viewing !== model.current && !overlay)
    status = cutLine(
      line(`viewing ${visibleLine(viewing)} (the run is at ${visibleLine(model.current ?? '-')}; Esc goes back)`, {
        dim: true,
      }),
      width,
    );
  return [status, cutLine(line(keys, { dim: true }), width)];
}
