// The coordinator's master data: reporting periods, fiscal years, pledges, departments, measures.
import * as api from './api.js';
import { ask } from './dialogs.js';

const $ = (id) => document.getElementById(id);
const STATES = { upcoming: '未開始', open: '入力中', closed: '締切済み' };
const months = (text) => text.split(/[,、\s]+/).filter(Boolean).map(Number);

/** Runs an action; on success reloads the report and the dialog, on failure says why and highlights. */
async function run(action, ctx, done) {
  try {
    await action();
    await ctx.reload();
    fill(ctx);
    if (done) ctx.status(done);
  } catch (error) {
    ctx.toast(api.messageOf(error));
    const field = error?.field && document.querySelector(`#admin-dialog [data-field="${error.field}"], #measure-dialog [data-field="${error.field}"]`);
    if (field) { field.classList.add('error'); setTimeout(() => field.classList.remove('error'), 4000); }
  }
}

function button(text, onClick, disabled = false) {
  const b = Object.assign(document.createElement('button'), { type: 'button', textContent: text, disabled });
  b.addEventListener('click', onClick);
  return b;
}

function fill(ctx) {
  const report = ctx.report();
  $('periods').replaceChildren(...report.years.flatMap((y) => y.halves.map((h) => {
    const tr = document.createElement('tr');
    const label = Object.assign(document.createElement('td'), { textContent: `${y.label} ${h.label}` });
    const monthsInput = Object.assign(document.createElement('input'), { type: 'text', value: h.months.join(','), size: 14 });
    monthsInput.setAttribute('aria-label', `${y.label} ${h.label} の月`);
    monthsInput.addEventListener('change', () => run(() => api.halfMonthsSet(y.year, h.half, months(monthsInput.value)), ctx, '月を変更しました'));
    const deadline = Object.assign(document.createElement('input'), { type: 'date', value: h.deadline });
    deadline.addEventListener('change', () => run(() => api.periodDeadlineSet(y.year, h.half, deadline.value), ctx, '締切を変更しました'));
    const actions = document.createElement('td');
    actions.append(
      button('開く', () => run(() => api.periodOpen(y.year, h.half, deadline.value), ctx, `${y.label} ${h.label} を開きました`), h.state === 'open'),
      button('締め切る', () => run(() => api.periodClose(y.year, h.half), ctx, `${y.label} ${h.label} を締め切りました`), h.state !== 'open'),
      button('再開', () => run(() => api.periodReopen(y.year, h.half), ctx, `${y.label} ${h.label} を再開しました`), h.state !== 'closed'),
    );
    const cell = (node) => { const td = document.createElement('td'); td.append(node); return td; };
    tr.append(label, cell(monthsInput), Object.assign(document.createElement('td'), { textContent: STATES[h.state], className: `state-${h.state}` }), cell(deadline), actions);
    return tr;
  })));
  const current = $('department-current');
  current.replaceChildren(...report.departments.map((d) => new Option(d, d)));
}

/** Opens the measure form, empty to add or filled from `measure` to edit. */
export async function editMeasure(ctx, measure) {
  const report = ctx.report();
  $('measure-title').textContent = measure ? `実施内容の編集（No.${measure.no} ${measure.department}）` : '実施内容の追加';
  $('m-department').replaceChildren(...report.departments.map((d) => new Option(d, d)));
  $('m-pledge').value = measure?.no ?? '';
  $('m-caption').value = measure?.pledge.split('\n').slice(1).join('\n') ?? '';
  $('m-department').value = measure?.department ?? report.departments[0] ?? '';
  $('m-content').value = measure?.content ?? '';
  $('m-date').value = measure?.targetDate ?? '';
  const dialog = $('measure-dialog');
  const choice = await ask(dialog);
  if (choice !== 'ok') return;
  const input = {
    pledgeNumber: Number($('m-pledge').value),
    department: $('m-department').value,
    pledgeCaption: $('m-caption').value,
    content: $('m-content').value,
    targetDate: $('m-date').value,
  };
  await run(() => (measure ? api.measureEdit(measure.id, input) : api.measureAdd(input)), ctx, measure ? '実施内容を変更しました' : '実施内容を追加しました');
}

export function setUpAdmin(ctx) {
  $('admin').addEventListener('click', () => { fill(ctx); $('admin-dialog').showModal(); });
  $('start-next').addEventListener('click', () => run(() => api.periodStartNext($('next-deadline').value), ctx, '次の期を開始しました'));
  $('year-add').addEventListener('click', () => run(() => api.fiscalYearAdd(Number($('year-new').value), months($('year-h1').value), months($('year-h2').value)), ctx, '年度を追加しました'));
  $('pledge-put').addEventListener('click', () => run(() => api.pledgePut(Number($('pledge-number').value), $('pledge-title').value), ctx, '公約を登録しました'));
  $('department-add').addEventListener('click', () => run(() => api.departmentAdd($('department-name').value), ctx, '担当課を追加しました'));
  $('department-rename').addEventListener('click', () => run(() => api.departmentRename($('department-current').value, $('department-name').value), ctx, '担当課の名称を変更しました'));
  $('measure-new').addEventListener('click', () => editMeasure(ctx));
}
