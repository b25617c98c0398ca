// The window: first start, who am I, the report view, saving, undo, filters and the tally.
import * as api from './api.js';
import { renderReport, setCardState, showCell } from './cards.js';
import { MARKS, keyId } from './model.js';
import { openBoard, setUpBoard, writeSubmission } from './submissions.js';
import { importSheet } from './importing.js';
import { editMeasure, setUpAdmin } from './admin.js';
import { ask } from './dialogs.js';

const $ = (id) => document.getElementById(id);
const SAVE_DELAY_MS = 600;
const IDENTITY_KEY = 'shinchoku.identity';

const state = {
  report: null,
  measureById: new Map(),
  /** { role: 'department' | 'coordinator', department?: string } */
  identity: JSON.parse(localStorage.getItem(IDENTITY_KEY) ?? 'null'),
  pending: new Map(),
  flushed: Promise.resolve(),
  timer: null,
  saving: 0,
  undo: [],
  /** Process start (ms since the epoch), from the app. */
  startedAtMs: 0,
};

const department = () => (state.identity?.role === 'department' ? state.identity.department : null);

const ctx = {
  get report() { return state.report; },
  get measureById() { return state.measureById; },
  isCoordinator: () => state.identity?.role === 'coordinator' && !state.packageDepartment,
  canEdit: (m) => state.identity?.role === 'coordinator' || m.department === department(),
  isOpen: (year, half) => state.report.openPeriod?.year === year && state.report.openPeriod?.half === half,
  schedule(measure, year, field, value) {
    if (((measure.cells[year] ?? {})[field] ?? '') === value) {
      state.pending.delete(keyId(measure.id, year, field));
      return;
    }
    state.pending.set(keyId(measure.id, year, field), { measure, year, field, value });
    setCardState(measure, '未保存', 'dirty');
    setSaveState('未保存の変更があります', 'dirty');
    clearTimeout(state.timer);
    state.timer = setTimeout(flush, SAVE_DELAY_MS);
  },
  flush: () => flush(),
  saveNow(measure, year, field, value) {
    ctx.schedule(measure, year, field, value);
    flush();
  },
};

/** Saves what is pending; resolves once it and every earlier flush are written. */
function flush() {
  clearTimeout(state.timer);
  const edits = [...state.pending.values()];
  state.pending.clear();
  // One flush after another, in the order typed (`save` catches its own errors).
  state.flushed = state.flushed.then(async () => {
    for (const edit of edits) await save(edit, true);
  });
  return state.flushed;
}

/** Saves one cell; `record` puts it on the undo stack. */
async function save({ measure, year, field, value }, record) {
  const cells = (measure.cells[year] ??= {});
  const before = cells[field] ?? '';
  state.saving += 1;
  setCardState(measure, '保存中…', 'saving');
  setSaveState('保存中…', 'saving');
  try {
    const stored = await api.cellSet({ measure_id: measure.id, year, field }, value, department());
    if (stored) cells[field] = stored; else delete cells[field];
    if (record && before !== stored) {
      state.undo.push({ measure, year, field, value: before });
      $('undo').disabled = false;
    }
    // A text field keeps what the user has typed since this save left: only a changed value
    // (an undo, a normalised symbol) is shown back. Writing the saved text into the field
    // would drop the characters typed while it was on its way.
    if (!record || field.endsWith('_indicator')) showCell(measure, year, field, stored);
    const time = new Date().toLocaleTimeString('ja-JP', { hour: '2-digit', minute: '2-digit' });
    setCardState(measure, `✓ 保存済み ${time}`, 'saved');
    if (state.saving === 1 && state.pending.size === 0) setSaveState(`✓ すべて保存済み ${time}`, 'saved');
    updateTally();
  } catch (error) {
    setCardState(measure, '保存できません', 'error');
    setSaveState(`保存できません: ${api.messageOf(error)}`, 'error');
    highlight(error?.field);
    toast(api.messageOf(error));
  } finally {
    state.saving -= 1;
  }
}

async function undoLast() {
  const last = state.undo.pop();
  $('undo').disabled = state.undo.length === 0;
  if (last) await save(last, false);
}

function setSaveState(text, kind) {
  const node = $('save-state');
  node.textContent = text;
  node.dataset.state = kind;
}

function highlight(field) {
  if (!field) return;
  const node = document.querySelector(`[data-key="${field}"]`);
  if (node) { node.classList.add('error'); node.scrollIntoView({ block: 'center' }); setTimeout(() => node.classList.remove('error'), 4000); }
}

function toast(text) {
  const node = $('toast');
  node.textContent = text;
  node.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { node.hidden = true; }, 6000);
}

/** The measures the tally counts: the user's own, or all for the coordinator. */
const counted = () => state.report.measures.filter((m) => state.identity?.role === 'coordinator' || m.department === department());

function updateTally() {
  const open = state.report.openPeriod;
  const node = $('tally');
  if (!open) { node.hidden = true; return; }
  const field = `${open.half.toLowerCase()}_indicator`;
  const counts = Object.fromEntries(MARKS.map((m) => [m.glyph, 0]));
  const missing = [];
  for (const m of counted()) {
    const cells = m.cells[open.year] ?? {};
    if (cells.year_note) continue;
    const mark = cells[field] ?? '';
    if (mark in counts) counts[mark] += 1;
    const status = cells[`${open.half.toLowerCase()}_status`] ?? '';
    if (!mark || !status.trim()) missing.push({ m, what: !mark ? '指標' : '状況' });
  }
  const who = state.identity?.role === 'coordinator' ? '全課' : department();
  node.replaceChildren();
  node.append(Object.assign(document.createElement('span'), { className: 'tally-title', textContent: `${open.label}（${who} ${counted().length}件）` }));
  for (const m of MARKS) {
    node.append(Object.assign(document.createElement('span'), { className: 'tally-item', title: m.meaning, textContent: `${m.glyph} ${counts[m.glyph]}` }));
  }
  node.append(Object.assign(document.createElement('span'), { className: 'tally-item missing-count', textContent: `未入力 ${missing.length}` }));
  node.hidden = false;
  $('missing-count').textContent = `（${missing.length}）`;
  const list = $('missing');
  list.replaceChildren(...missing.slice(0, 200).map(({ m, what }) => {
    const li = document.createElement('li');
    const a = Object.assign(document.createElement('a'), { href: `#measure-${m.id}`, textContent: `No.${m.no} ${m.department} ${what}` });
    li.append(a);
    return li;
  }));
}

function applyFilters() {
  const text = $('filter-text').value.trim();
  const dept = $('filter-department').value;
  const marks = [...document.querySelectorAll('#filter-marks input:checked')].map((i) => i.value);
  const open = state.report.openPeriod;
  const number = /^\d+$/.test(text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))) ? Number(text.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))) : null;
  const visiblePledges = new Set();
  for (const m of state.report.measures) {
    let show = true;
    if (number !== null) show = m.no === number;
    else if (text) show = [m.pledge, m.content, m.department, ...Object.values(m.cells).flatMap((c) => Object.values(c))].some((t) => t.includes(text));
    if (show && dept) show = dept === '__own' ? m.department === department() : m.department === dept;
    if (show && marks.length && open) {
      const mark = (m.cells[open.year] ?? {})[`${open.half.toLowerCase()}_indicator`] ?? '';
      show = marks.includes(mark || 'none');
    }
    document.getElementById(`measure-${m.id}`).hidden = !show;
    if (show) visiblePledges.add(m.no);
  }
  for (const h of document.querySelectorAll('h2.pledge')) h.hidden = !visiblePledges.has(Number(h.dataset.no));
}

function setUpFilters() {
  const select = $('filter-department');
  select.replaceChildren(new Option('すべての課', ''));
  if (department()) select.append(new Option(`${department()}（自課のみ）`, '__own'));
  for (const d of state.report.departments) select.append(new Option(d, d));
  select.value = department() ? '__own' : '';
  const marks = $('filter-marks');
  marks.replaceChildren();
  for (const m of [...MARKS, { glyph: 'none', meaning: '未入力のみ' }]) {
    const label = document.createElement('label');
    const box = Object.assign(document.createElement('input'), { type: 'checkbox', value: m.glyph });
    box.addEventListener('change', applyFilters);
    label.append(box, ` ${m.glyph === 'none' ? '' : m.glyph} ${m.meaning}`);
    marks.append(label);
  }
}

async function chooseIdentity() {
  const dialog = $('who');
  const select = $('who-department');
  select.replaceChildren(...state.report.departments.map((d) => new Option(d, d)));
  if (department()) select.value = department();
  const choice = await ask(dialog);
  if (choice === 'department' && select.value) state.identity = { role: 'department', department: select.value };
  else if (choice === 'coordinator') state.identity = { role: 'coordinator' };
  if (!state.identity) return chooseIdentity();
  localStorage.setItem(IDENTITY_KEY, JSON.stringify(state.identity));
}

async function showHistory(key) {
  const [measureId, year, field] = key.split(':');
  const rows = await api.cellHistory({ measure_id: Number(measureId), year: Number(year), field });
  const measure = state.measureById.get(Number(measureId));
  $('history-title').textContent = `変更履歴：No.${measure.no} ${measure.department}（${year}年度 ${field}）`;
  $('history-rows').replaceChildren(...rows.map((r) => {
    const tr = document.createElement('tr');
    for (const text of [r.changed_at.replace('T', ' '), r.actor, r.source, r.old_value, r.new_value]) {
      tr.append(Object.assign(document.createElement('td'), { textContent: text }));
    }
    const button = Object.assign(document.createElement('button'), { type: 'button', textContent: 'この変更前に戻す' });
    button.disabled = !ctx.canEdit(measure);
    button.addEventListener('click', async () => {
      try {
        await api.cellRestore(r.id, department());
        (measure.cells[Number(year)] ??= {})[field] = r.old_value;
        showCell(measure, Number(year), field, r.old_value);
        $('history').close();
      } catch (error) { toast(api.messageOf(error)); }
    });
    const cell = document.createElement('td');
    cell.append(button);
    tr.append(cell);
    return tr;
  }));
  $('history').showModal();
}

function renderHeader() {
  const open = state.report.openPeriod;
  const period = $('period');
  period.hidden = !open;
  if (open) period.textContent = `入力中: ${open.label}${open.deadline ? `（締切 ${open.deadline}）` : ''}`;
  $('export').hidden = false;
  $('submissions').hidden = state.identity.role !== 'coordinator' || Boolean(state.packageDepartment);
  $('submit').hidden = !state.packageDepartment;
  $('import').hidden = $('submissions').hidden;
  $('admin').hidden = $('submissions').hidden;
  const who = $('identity');
  who.hidden = false;
  who.textContent = state.identity.role === 'coordinator' ? '取りまとめ ▾' : `担当: ${department()} ▾`;
}

async function showReport() {
  const started = performance.now();
  state.report = await api.reportView();
  state.packageDepartment = await api.submissionDepartment();
  // A department database answers for its own department only.
  if (state.packageDepartment) state.identity = { role: 'department', department: state.packageDepartment };
  state.measureById = new Map(state.report.measures.map((m) => [m.id, m]));
  if (!state.identity || (state.identity.role === 'department' && !state.report.departments.includes(state.identity.department))) {
    state.identity = null;
    await chooseIdentity();
  }
  renderHeader();
  setUpFilters();
  renderReport($('report'), ctx);
  applyFilters();
  updateTally();
  $('sidebar').hidden = false;
  // Read by the end-to-end tests and the start-up benchmark.
  requestAnimationFrame(() => {
    document.body.dataset.readyMs = String(Math.round(performance.now() - started));
    // From the process start to the first editable view, once per launch.
    if (state.startedAtMs && !document.body.dataset.launchMs) {
      document.body.dataset.launchMs = String(Date.now() - state.startedAtMs);
    }
    document.body.dataset.ready = '1';
  });
}

async function boot() {
  const status = await api.reportStatus();
  state.startedAtMs = status.startedAtMs;
  if (!status.exists) {
    $('welcome-path').textContent = status.dbPath;
    const dialog = $('welcome');
    for (;;) {
      // Only a chosen button starts a report: Escape or closing asks again, and never
      // creates the sample in the user's real database.
      const choice = await ask(dialog);
      try {
        if (choice === 'package') {
          const pkg = await api.openDialog({ multiple: false, filters: [{ name: '提出用パッケージ', extensions: ['json'] }] });
          if (!pkg) continue;
          await api.reportCreateFromPackage(pkg);
        } else if (choice === 'sample' || choice === 'empty') {
          await api.reportCreate(choice === 'sample');
        } else {
          continue;
        }
        break;
      } catch (error) {
        toast(api.messageOf(error));
      }
    }
  }
  await showReport();
}

async function exportReport() {
  await flush();
  const today = new Date().toISOString().slice(0, 10);
  const path = await api.saveDialog(`重点政策進捗_${today}.xlsx`, [
    { name: 'Excel ブック', extensions: ['xlsx'] },
    { name: 'CSV（オープンデータ）', extensions: ['csv'] },
  ]);
  if (!path) return;
  const button = $('export');
  button.disabled = true;
  button.textContent = '出力中…';
  setSaveState('Excel に出力しています…', 'saving');
  try {
    const done = await api.reportExport(path);
    setSaveState(`✓ 出力しました：${done.years} ${done.measures} 件（${done.pages} ページ）`, 'saved');
  } catch (error) {
    setSaveState('出力できません', 'error');
    toast(api.messageOf(error));
  } finally {
    button.disabled = false;
    button.textContent = 'Excel に出力…';
  }
}

$('export').addEventListener('click', exportReport);
$('submissions').addEventListener('click', () => openBoard(showReport, toast));
$('submit').addEventListener('click', async () => { await flush(); await writeSubmission(toast, (t) => setSaveState(t, 'saved')); });
setUpBoard(showReport, toast);
const adminCtx = {
  report: () => state.report,
  reload: showReport,
  toast,
  status: (t) => setSaveState(`✓ ${t}`, 'saved'),
};
setUpAdmin(adminCtx);
// The coordinator edits a measure's heading or moves it from its card.
$('report').addEventListener('click', async (e) => {
  const button = e.target.closest('[data-measure-action]');
  if (!button) return;
  const measure = state.measureById.get(Number(button.closest('.card').dataset.id));
  const action = button.dataset.measureAction;
  if (action === 'edit') await editMeasure(adminCtx, measure);
  else {
    try { await api.measureMove(measure.id, action === 'up' ? -1 : 1); await showReport(); document.getElementById(`measure-${measure.id}`)?.scrollIntoView({ block: 'center' }); }
    catch (error) { toast(api.messageOf(error)); }
  }
});
$('import').addEventListener('click', async () => {
  await flush();
  await importSheet(state.report, showReport, toast, (t) => setSaveState(t, 'saved'));
});
$('undo').addEventListener('click', undoLast);
$('identity').addEventListener('click', async () => { await flush(); await chooseIdentity(); await showReport(); });
$('filter-text').addEventListener('input', applyFilters);
$('filter-department').addEventListener('change', applyFilters);
document.addEventListener('keydown', (e) => {
  const inField = e.target.matches('textarea, input, select');
  if ((e.ctrlKey || e.metaKey) && e.key === 'z' && !inField) { e.preventDefault(); undoLast(); }
  if ((e.ctrlKey || e.metaKey) && e.key === 's') { e.preventDefault(); flush(); }
});
document.addEventListener('contextmenu', (e) => {
  const node = e.target.closest('[data-key]');
  if (node) { e.preventDefault(); showHistory(node.dataset.key); }
});
// Closing the window: the app holds the request and calls this, so what was typed is written
// before the window goes. A field still composing with the IME gives its text up on blur.
window.shinchokuBeforeClose = async () => {
  try {
    document.activeElement?.blur?.();
    await flush();
    // An undo in flight is not part of a flush.
    while (state.saving > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    await api.windowClose();
  }
};

boot().catch((error) => {
  $('report').textContent = `報告を開けません: ${api.messageOf(error)}`;
});
