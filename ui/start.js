// Starting: the first start's choice, who the user is, and drawing the report (again).
import * as api from './api.js';
import { drawnFrom, patchReport, renderReport } from './cards.js';
import { ask, chooseToOpen } from './dialogs.js';
import { $ } from './dom.js';
import { messageOf, showError } from './feedback.js';
import { applyFilters, reportChanged, setUpFilters, updateTally } from './filters.js';
import { PACKAGE_FILES } from './files.js';
import { flush, forgetUndo } from './saving.js';
import { department, isCoordinatorDatabase, rememberIdentity, state } from './state.js';
import { showView } from './views.js';

/** The first start: a report from the sample, a package or nothing. Only a button starts one. */
async function createReport(status) {
  $('welcome-path').textContent = status.dbPath;
  // A package double-clicked on a computer without a report: the department starts from it.
  const opened = await api.openedFile();
  if (opened?.kind === 'package') {
    try { await api.reportCreateFromPackage(opened.path); return; } catch (error) { showError(error); }
  } else if (opened) {
    showError({ message: `${opened.path} は報告がまだないため開けません。まず報告を始めてください` });
  }
  const dialog = $('welcome');
  for (;;) {
    // Escape or closing asks again, and never creates the sample in the user's real database.
    const choice = await ask(dialog);
    try {
      if (choice === 'package') {
        const pkg = await chooseToOpen({ multiple: false, filters: [PACKAGE_FILES] });
        if (!pkg) continue;
        await api.reportCreateFromPackage(pkg);
      } else if (choice === 'sample' || choice === 'empty') {
        await api.reportCreate(choice === 'sample');
      } else {
        continue;
      }
      return;
    } catch (error) {
      showError(error);
    }
  }
}

/** Who am I: a department or the coordinator. Escape keeps the present choice, if there is one. */
export async function chooseIdentity() {
  const select = $('who-department');
  select.replaceChildren(...state.report.departments.map((d) => new Option(d, d)));
  if (department()) select.value = department();
  // A report with no departments yet (a new, empty one) has no department to be: say so,
  // rather than a button that does nothing.
  const none = !state.report.departments.length;
  select.disabled = none;
  $('who-as-department').disabled = none;
  $('who-no-departments').hidden = !none;
  const choice = await ask($('who'));
  if (choice === 'department' && select.value) rememberIdentity({ role: 'department', department: select.value });
  else if (choice === 'coordinator') rememberIdentity({ role: 'coordinator' });
  else if (!state.identity) return chooseIdentity();
  return choice;
}

function renderHeader() {
  const open = state.report.openPeriod;
  const period = $('period');
  const archived = state.report.archivedAtLabel;
  const readOnly = state.report.readOnly;
  period.hidden = !open && !readOnly;
  if (archived) period.textContent = `過去の任期（読み取り専用、${archived} に保管）`;
  else if (readOnly) period.textContent = '読み取り専用（書き込みできない場所にあるため、閲覧と出力のみできます）';
  // The deadline is in the tally's row, which has room: here it pushed the top bar onto a
  // second row at 1440 px.
  else if (open) period.textContent = `入力中: ${open.label}`;
  $('export').hidden = false;
  // A past term's copy, or a database that cannot be written, is only read and exported.
  const coordinator = isCoordinatorDatabase() && !readOnly;
  for (const id of ['submissions', 'import', 'admin']) $(id).hidden = !coordinator;
  const conflicts = state.report.conflictMeasures.length;
  $('submissions').textContent = conflicts ? `提出状況（競合 ${conflicts}）` : '提出状況';
  $('submissions').classList.toggle('has-conflicts', conflicts > 0);
  $('publish').hidden = !isCoordinatorDatabase() || Boolean(archived);
  $('submit').hidden = !state.packageDepartment || readOnly;
  $('update-package').hidden = !state.packageDepartment || readOnly;
  const who = $('identity');
  who.hidden = false;
  who.textContent = state.identity.role === 'coordinator' ? '取りまとめ ▾' : `担当: ${department()} ▾`;
}

/** Reads the report and draws it whole (a start, or another identity). */
export async function showReport() {
  const started = performance.now();
  state.packageDepartment = await api.submissionDepartment();
  // A department database answers for its own department only.
  if (state.packageDepartment) state.identity = { role: 'department', department: state.packageDepartment };
  state.report = await api.reportView(department());
  if (!state.identity || (state.identity.role === 'department' && !state.report.departments.includes(state.identity.department))) {
    state.identity = null;
    await chooseIdentity();
    // What the user may write depends on who they are: the view is read again for them.
    state.report = await api.reportView(department());
  }
  state.measureById = new Map(state.report.measures.map((m) => [m.id, m]));
  forgetUndo();
  reportChanged();
  renderHeader();
  setUpFilters();
  renderReport($('report'));
  await showView(state.view);
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

/**
 * Reads the report again after a change (a merge, an import, an admin action) and redraws only
 * the cards it touched; what the user typed is written first.
 */
export async function reloadReport() {
  await flush();
  const previous = state.report;
  state.report = await api.reportView(department());
  reportChanged();
  renderHeader();
  setUpFilters();
  if (drawnFrom(previous) === drawnFrom(state.report)) {
    patchReport($('report'), previous);
  } else {
    state.measureById = new Map(state.report.measures.map((m) => [m.id, m]));
    forgetUndo();
    renderReport($('report'));
  }
  if (state.view === 'survey') await showView('survey');
  applyFilters();
  updateTally();
}

export async function boot() {
  try {
    const status = await api.reportStatus();
    state.startedAtMs = status.startedAtMs;
    if (!status.exists) await createReport(status);
    await showReport();
  } catch (error) {
    $('report').textContent = `報告を開けません: ${messageOf(error)}`;
  }
}
