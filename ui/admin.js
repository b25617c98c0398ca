// The coordinator's master data: reporting periods, fiscal years, pledges, departments, measures.
import * as api from './api.js';
import { ask, confirmAction } from './dialogs.js';
import { $, el } from './dom.js';
import { showError } from './feedback.js';
import { fillOwnership, splitDepartment } from './reorganising.js';
import { state } from './state.js';
import { fillTerms, setUpTerms } from './terms.js';

const months = (text) => text.split(/[,、，\s]+/).filter(Boolean).map((m) => Number(m.normalize('NFKC')));

/** { reload, status } from main.js. */
let ctx = null;

/**
 * Runs `action` after the user confirmed `question` with the button `verb` (Escape or やめる
 * change nothing), as `run` does.
 */
async function runAsked(question, verb, action, done, origin = null) {
  if (!(await confirmAction(question, verb))) return false;
  return run(action, done, origin);
}

/** What opening `name` does, in the user's words: the open period is closed first. */
function openingQuestion(name) {
  const open = state.report.openPeriod;
  const then = `各課は ${name} に入力・提出できるようになります。`;
  return open ? `入力中の ${open.label} を締め切り、${name} を開きます。${then}` : `${name} を開きます。${then}`;
}

/** Runs an action; on success reloads the report and the dialog, on failure says why and highlights. */
async function run(action, done, origin = null) {
  try {
    await action();
    await ctx.reload();
    // The dialog is drawn anew: the focus stays where the user was (Tab has moved it on).
    const focused = document.activeElement?.getAttribute('aria-label');
    fill();
    if (focused) document.querySelector(`#admin-dialog [aria-label="${CSS.escape(focused)}"]`)?.focus();
    if (done) ctx.status(done);
    return true;
  } catch (error) {
    showError(error, origin);
    return false;
  }
}

function button(text, label, onClick, disabled) {
  const b = el('button', { type: 'button', 'aria-label': label, text });
  b.disabled = disabled;
  b.addEventListener('click', onClick);
  return b;
}

/** One row of the periods table: its months, state, deadline and the actions its state allows. */
function periodRow(y, h) {
  const name = `${y.label} ${h.label}`;
  const monthsInput = el('input', { type: 'text', size: 14, 'aria-label': `${name} の月`, 'data-field': 'months' });
  monthsInput.value = h.months.join(',');
  monthsInput.addEventListener('change', () => run(() => api.halfMonthsSet(y.year, h.half, months(monthsInput.value)), `${name} の月を変更しました`, monthsInput));
  // A date as staff write it (2026年11月29日 or 令和８年11月29日), whatever the machine's locale.
  const deadline = el('input', { type: 'text', size: 16, placeholder: '例 2026年11月29日', 'aria-label': `${name} の締切`, 'data-field': 'deadline' });
  deadline.value = h.deadlineLabel;
  deadline.addEventListener('change', () => run(() => api.periodDeadlineSet(y.year, h.half, deadline.value), `${name} の締切を変更しました`, deadline));
  return el('tr', {},
    el('th', { scope: 'row', text: name }),
    el('td', {}, monthsInput),
    el('td', { class: `state-${h.state}`, text: h.stateLabel }),
    el('td', {}, deadline),
    el('td', {},
      button('開く', `${name} を開く`, () => runAsked(openingQuestion(name), '開く', () => api.periodOpen(y.year, h.half, deadline.value), `${name} を開きました`, deadline), h.state === 'open'),
      button('締め切る', `${name} を締め切る`, () => runAsked(`${name} を締め切ります。各課はこの期に入力・提出できなくなります（「再開」で戻せます）。`, '締め切る', () => api.periodClose(y.year, h.half), `${name} を締め切りました`), h.state !== 'open'),
      button('再開', `${name} を再開`, () => runAsked(`締め切った ${name} を再開します。各課はこの期に再び入力・提出できるようになります。`, '再開する', () => api.periodReopen(y.year, h.half), `${name} を再開しました`), h.state !== 'closed')));
}

function fill() {
  const report = state.report;
  $('periods').replaceChildren(...report.years.flatMap((y) => y.halves.map((h) => periodRow(y, h))));
  const current = $('department-current');
  const chosen = current.value;
  current.replaceChildren(...report.departments.map((d) => new Option(d, d)));
  if (report.departments.includes(chosen)) current.value = chosen;
  fillOwnership();
  fillTerms();
}

/** Opens the measure form, empty to add or filled from `measure` to edit. */
export async function editMeasure(measure) {
  const report = state.report;
  $('measure-title').textContent = measure ? `実施内容の編集（No.${measure.no} ${measure.department}）` : '実施内容の追加';
  $('m-department').replaceChildren(...report.departments.map((d) => new Option(d, d)));
  $('m-pledge').value = measure?.no ?? '';
  $('m-caption').value = measure?.pledge.split('\n').slice(1).join('\n') ?? '';
  $('m-department').value = measure?.department ?? report.departments[0] ?? '';
  $('m-content').value = measure?.content ?? '';
  $('m-date').value = measure?.targetDate ?? '';
  // The year a measure ends with (the April reorganisation): a retired one can move its end.
  const lastYear = $('m-last-year');
  lastYear.replaceChildren(
    ...(measure?.lastYear ? [] : [new Option('（続ける）', '')]),
    ...report.years.map((y) => new Option(`${y.label}で終了`, String(y.year))),
  );
  lastYear.value = measure?.lastYear ? String(measure.lastYear) : '';
  $('m-last-year-row').hidden = !measure;
  const dialog = $('measure-dialog');
  // A refused form stays open with what was typed, the field at fault highlighted.
  for (;;) {
    if (await ask(dialog) !== 'ok') return;
    const input = {
      pledgeNumber: Number($('m-pledge').value.normalize('NFKC')),
      department: $('m-department').value,
      pledgeCaption: $('m-caption').value,
      content: $('m-content').value,
      targetDate: $('m-date').value,
    };
    const ends = measure && lastYear.value && Number(lastYear.value) !== measure.lastYear ? Number(lastYear.value) : null;
    const endLabel = lastYear.selectedOptions[0]?.textContent ?? '';
    if (ends && !(await confirmAction(`No.${measure.no} ${measure.department} の実施内容を${endLabel}します。以後の年度は空欄のまま、パッケージにも含まれません。`, '終了する'))) {
      continue;
    }
    dialog.showModal();
    const saved = await run(async () => {
      if (measure) await api.measureEdit(measure.id, input); else await api.measureAdd(input);
      if (ends) await api.measureRetire(measure.id, ends);
    }, measure ? '実施内容を変更しました' : '実施内容を追加しました', lastYear);
    if (saved) { dialog.close('saved'); return; }
  }
}

export function setUpAdmin(context) {
  ctx = context;
  $('admin').addEventListener('click', async () => { fill(); await ask($('admin-dialog')); });
  $('start-next').addEventListener('click', () => {
    const open = state.report.openPeriod;
    const question = open
      ? `入力中の ${open.label} を締め切り、次の期を開始します（先にバックアップを取ります）。各課は ${open.label} に入力・提出できなくなります。`
      : '次の期を開始します（先にバックアップを取ります）。';
    return runAsked(question, '締め切って次の期へ', () => api.periodStartNext($('next-deadline').value), '次の期を開始しました', $('next-deadline'));
  });
  $('year-add').addEventListener('click', () => run(() => api.fiscalYearAdd(Number($('year-new').value.normalize('NFKC')), months($('year-h1').value), months($('year-h2').value)), '年度を追加しました'));
  $('pledge-put').addEventListener('click', () => run(() => api.pledgePut(Number($('pledge-number').value.normalize('NFKC')), $('pledge-title').value), '公約を登録しました'));
  $('department-add').addEventListener('click', () => run(() => api.departmentAdd($('department-name').value), '担当課を追加しました'));
  $('department-rename').addEventListener('click', () => {
    const from = $('department-current').value;
    const to = $('department-name').value;
    return runAsked(`「${from}」の名称を「${to}」に変更します。実施内容・記入・履歴はそのまま引き継がれます。`, '名称を変更', () => api.departmentRename(from, to), '担当課の名称を変更しました');
  });
  $('department-merge').addEventListener('click', async () => {
    const from = $('department-current').value;
    const into = $('department-name').value;
    const count = state.report.measures.filter((m) => m.department === from).length;
    const merged = await runAsked(`「${from}」を「${into}」に統合します。「${from}」の実施内容 ${count} 件は「${into}」に移り、「${from}」はなくなります（組織改正の記録には残ります）。`,
      '統合する', () => api.departmentMerge(into, [from]), `${from} を ${into} に統合しました`);
    // The form shows the result: the department merged into, and no name left for another click.
    if (merged) {
      $('department-name').value = '';
      const current = $('department-current');
      if ([...current.options].some((o) => o.value === into)) current.value = into;
    }
  });
  $('department-split').addEventListener('click', () => splitDepartment($('department-current').value, run));
  $('measure-new').addEventListener('click', () => editMeasure());
  // A new term changes the years and departments shown here too.
  setUpTerms(async () => { await context.reload(); fill(); });
}
