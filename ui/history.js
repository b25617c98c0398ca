// A cell's history: who changed it, when, from what to what; any earlier value can be restored.
import * as api from './api.js';
import { showCell } from './cards.js';
import { ask, confirmAction } from './dialogs.js';
import { $, el } from './dom.js';
import { showError } from './feedback.js';
import { cellChanged } from './filters.js';
import { department, mayWrite, state } from './state.js';

let opening = false;

/** Opens the history of the cell `key` (`measureId:year:field`). */
export async function showHistory(key) {
  const dialog = $('history');
  // A key and the context menu it raises may both ask: one dialog.
  if (dialog.open || opening) return;
  opening = true;
  let filled;
  try {
    filled = await fill(dialog, key);
  } finally {
    opening = false;
  }
  if (!filled) return;
  const focused = document.activeElement;
  await ask(dialog);
  focused?.focus?.();
}

async function fill(dialog, key) {
  const [measureId, year, field] = key.split(':');
  const measure = state.measureById.get(Number(measureId));
  let history;
  try {
    history = await api.cellHistory({ measureId: Number(measureId), year: Number(year), field });
  } catch (error) { showError(error); return false; }
  $('history-title').textContent = `変更履歴：${history.label}`;
  $('history-empty').hidden = history.entries.length > 0;
  $('history-rows').replaceChildren(...history.entries.map((change) => {
    const restore = el('button', { type: 'button', 'aria-label': `${change.changedAtLabel} の変更前（${change.oldValue || '空欄'}）に戻す`, text: 'この変更前に戻す' });
    restore.disabled = !mayWrite(measure, Number(year), field);
    restore.addEventListener('click', async () => {
      if (!(await confirmAction(`${history.label} を ${change.changedAtLabel} の変更前「${change.oldValue || '空欄'}」に戻します。今の値は履歴に残ります。`, '戻す'))) return;
      try {
        await api.cellRestore(change.id, department());
        const cells = (measure.cells[Number(year)] ??= {});
        if (change.oldValue) cells[field] = change.oldValue; else delete cells[field];
        showCell(measure, Number(year), field, change.oldValue);
        cellChanged(measure);
        dialog.close('restored');
      } catch (error) { showError(error); }
    });
    return el('tr', {},
      el('td', { text: change.changedAtLabel }), el('td', { text: change.actor }), el('td', { text: change.source }),
      el('td', { text: change.oldValue }), el('td', { text: change.newValue }), el('td', {}, restore));
  }));
  return true;
}
