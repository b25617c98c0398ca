// The window's wiring: which button and key does what. The work is in the modules by concern:
// start.js (first start, identity, drawing), saving.js (saving, undo, closing), filters.js
// (filters and tally), cards.js (the report), dialogs.js and the dialogs' own modules.
import { setUpAbout, showAbout } from './about.js';
import * as api from './api.js';
import { editMeasure, setUpAdmin } from './admin.js';
import { renderReport, sayWhyNotWritable } from './cards.js';
import { $ } from './dom.js';
import { exportReport, publishPage } from './exporting.js';
import { setSaveState, showError } from './feedback.js';
import { applyFilters, listenToFilters } from './filters.js';
import { showHistory } from './history.js';
import { importSheet } from './importing.js';
import { listenForPassedFiles, openPassedFile } from './opening.js';
import { flush, saveBeforeClose, setUpSaving, undoLast } from './saving.js';
import { boot, chooseIdentity, reloadReport, showReport } from './start.js';
import { rememberCompactCards, rememberShowPastYears, state } from './state.js';
import { openBoard, setUpBoard, takeNextPackage, writeSubmission } from './submissions.js';
import { showView } from './views.js';
import { setUpZoom } from './zoom.js';

const saved = (text) => setSaveState(`✓ ${text}`, 'saved');

setUpSaving(reloadReport);
setUpBoard(reloadReport);
setUpAdmin({ reload: reloadReport, status: saved });
listenToFilters();
setUpAbout();
setUpZoom((text) => setSaveState(text, 'saved'));

$('export').addEventListener('click', exportReport);
$('publish').addEventListener('click', publishPage);
$('submissions').addEventListener('click', async () => { await flush(); await openBoard(); });
$('submit').addEventListener('click', async () => { await flush(); await writeSubmission(saved); });
$('update-package').addEventListener('click', async () => {
  await flush();
  if (await takeNextPackage(saved)) await reloadReport();
});
$('import').addEventListener('click', async () => { await flush(); await importSheet(reloadReport, saved); });
$('undo').addEventListener('click', undoLast);
// The cards or the 一覧.
for (const radio of document.querySelectorAll('input[name="view"]')) {
  radio.addEventListener('change', async () => {
    await flush();
    if (!state.report) return;
    await showView(radio.value);
    applyFilters();
  });
}
// Cards a line a cell (the one with the focus whole), or every card whole.
$('compact-cards').checked = state.compactCards;
$('report').classList.toggle('compact', state.compactCards);
$('compact-cards').addEventListener('change', async (e) => {
  await flush();
  rememberCompactCards(e.target.checked);
  $('report').classList.toggle('compact', e.target.checked);
  if (!state.report) return;
  renderReport($('report'));
  applyFilters();
});
// Past years whole or folded to their marks: the cards are drawn again, the filters kept.
$('show-past-years').checked = state.showPastYears;
$('show-past-years').addEventListener('change', async (e) => {
  await flush();
  rememberShowPastYears(e.target.checked);
  if (!state.report) return;
  renderReport($('report'));
  applyFilters();
});
$('about').addEventListener('click', showAbout);
$('identity').addEventListener('click', async () => {
  await flush();
  if (await chooseIdentity() !== 'cancel') await showReport();
});

// The coordinator edits a measure's heading or moves it, from its card.
$('report').addEventListener('click', async (e) => {
  const history = e.target.closest('[data-history]');
  if (history) { await showHistory(history.dataset.history); return; }
  const button = e.target.closest('[data-measure-action]');
  if (!button) return;
  const measure = state.measureById.get(Number(button.closest('.card').dataset.id));
  const action = button.dataset.measureAction;
  if (action === 'edit') { await editMeasure(measure); return; }
  try {
    await api.measureMove(measure.id, action === 'up' ? -1 : 1);
    await reloadReport();
    // The moved card keeps the focus, so ↑ ↑ ↑ moves it on.
    document.querySelector(`#measure-${measure.id} [data-measure-action="${action}"]`)?.focus();
  } catch (error) { showError(error); }
});

// A read-only cell says why when it gets the focus.
$('report').addEventListener('focusin', (e) => {
  if (e.target.matches('[aria-readonly="true"][data-key]')) sayWhyNotWritable(e.target);
});

// A cell's history: Shift+F10 or the context-menu key on a cell, a right-click, or its button.
const historyKeyOf = (target) => target.closest?.('[data-key]')?.dataset.key;
document.addEventListener('keydown', (e) => {
  const inField = e.target.matches('textarea, input, select');
  if ((e.ctrlKey || e.metaKey) && e.key === 'z' && !inField) { e.preventDefault(); undoLast(); }
  if ((e.ctrlKey || e.metaKey) && e.key === 's') { e.preventDefault(); flush(); }
  if ((e.shiftKey && e.key === 'F10') || e.key === 'ContextMenu') {
    const key = historyKeyOf(e.target);
    if (key) { e.preventDefault(); showHistory(key); }
  }
});
document.addEventListener('contextmenu', (e) => {
  const key = historyKeyOf(e.target);
  if (key) { e.preventDefault(); showHistory(key); }
});

// Closing the window: the app holds the request and calls this (see lib.rs).
window.shinchokuBeforeClose = saveBeforeClose;

// A double-clicked package or submission: the one the app started with, and any handed over
// later, each once the report is drawn.
const booted = boot();
listenForPassedFiles(() => booted.then(() => openPassedFile(saved, reloadReport)));
booted.then(() => openPassedFile(saved, reloadReport));
