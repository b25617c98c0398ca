// Saving what is typed: a short delay after the last key (never during IME composition), in the
// order typed, with an undo stack; and nothing lost when the window closes.
import * as api from './api.js';
import { setCardState, showCell } from './cards.js';
import { $ } from './dom.js';
import { showError, setSaveState } from './feedback.js';
import { cellChanged } from './filters.js';
import { department } from './state.js';
import { keyId } from './model.js';

const SAVE_DELAY_MS = 600;

const pending = new Map();
const undoStack = [];
let flushed = Promise.resolve();
let timer = null;
let saving = 0;
/** Called when a save finds the view stale (a period closed meanwhile): reads the report again. */
let onStale = async () => {};

export function setUpSaving(reload) {
  onStale = reload;
}

/** Puts an edit in line; it is saved after the delay, or at once by `flush`. */
export function schedule(measure, year, field, value) {
  const id = keyId(measure.id, year, field);
  if (((measure.cells[year] ?? {})[field] ?? '') === value) {
    pending.delete(id);
    return;
  }
  pending.set(id, { measure, year, field, value });
  setCardState(measure, '未保存', 'dirty');
  setSaveState('未保存の変更があります', 'dirty');
  clearTimeout(timer);
  timer = setTimeout(flush, SAVE_DELAY_MS);
}

/** An indicator chosen with a click or a key: saved now. */
export function saveNow(measure, year, field, value) {
  schedule(measure, year, field, value);
  return flush();
}

/** Saves what is pending; resolves once it and every earlier flush are written. */
export function flush() {
  clearTimeout(timer);
  const edits = [...pending.values()];
  pending.clear();
  // One flush after another, in the order typed (`save` catches its own errors).
  flushed = flushed.then(async () => {
    for (const edit of edits) await save(edit, true);
  });
  return flushed;
}

/** Saves one cell; `record` puts it on the undo stack. */
async function save({ measure, year, field, value }, record) {
  const cells = (measure.cells[year] ??= {});
  const before = cells[field] ?? '';
  saving += 1;
  setCardState(measure, '保存中…', 'saving');
  setSaveState('保存中…', 'saving');
  try {
    const stored = await api.cellSet({ measureId: measure.id, year, field }, value, department(), !record);
    if (stored) cells[field] = stored; else delete cells[field];
    if (record && before !== stored) {
      undoStack.push({ measure, year, field, value: before });
      $('undo').disabled = false;
    }
    // A text field keeps what the user has typed since this save left: only a changed value
    // (an undo, a normalised symbol) is shown back. Writing the saved text into the field
    // would drop the characters typed while it was on its way.
    if (!record || field.endsWith('_indicator')) showCell(measure, year, field, stored);
    const time = new Date().toLocaleTimeString('ja-JP', { hour: '2-digit', minute: '2-digit' });
    setCardState(measure, `✓ 保存済み ${time}`, 'saved');
    if (saving === 1 && pending.size === 0) setSaveState(`✓ すべて保存済み ${time}`, 'saved');
    cellChanged(measure);
  } catch (error) {
    setCardState(measure, '保存できません', 'error');
    setSaveState('保存できません', 'error');
    const { stale } = showError(error);
    // Read again once this flush is over (the reload flushes first: awaiting it here would wait
    // for itself).
    if (stale) setTimeout(onStale, 0);
  } finally {
    saving -= 1;
  }
}

/** Puts the last saved change back (the button, or Ctrl+Z outside a field). */
export async function undoLast() {
  await flush();
  const last = undoStack.pop();
  $('undo').disabled = undoStack.length === 0;
  if (last) await save(last, false);
}

/** Forgets the undo stack: the cards it points at were drawn anew (another identity). */
export function forgetUndo() {
  undoStack.length = 0;
  $('undo').disabled = true;
}

/**
 * Writes everything before the window goes: the app holds the close request and calls this.
 * A field still composing with the IME gives its text up on blur.
 */
export async function saveBeforeClose() {
  try {
    document.activeElement?.blur?.();
    await flush();
    // An undo in flight is not part of a flush.
    while (saving > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    await api.windowClose();
  }
}
