// The April reorganisation beyond one field (管理): a department split by choosing where each of
// its measures goes, and the record of who owned what and when.
import * as api from './api.js';
import { ask } from './dialogs.js';
import { $, el } from './dom.js';
import { showError } from './feedback.js';
import { state } from './state.js';

/** The record, oldest first, in the 管理 dialog's 組織改正の記録. */
export async function fillOwnership() {
  let changes = [];
  try { changes = await api.ownershipHistory(); } catch (error) { showError(error); }
  $('ownership-list').replaceChildren(...(changes.length
    ? changes.map((c) => el('li', { text: `${c.atLabel} ${c.kindLabel} ${c.text}` }))
    : [el('li', { text: '組織改正の記録はありません' })]));
}

/**
 * Asks where each measure of `department` goes (a department name, new or existing; blank
 * stays) and splits it. Resolves to true once split. `run` is 管理's action runner.
 */
export async function splitDepartment(department, run) {
  const measures = state.report.measures.filter((m) => m.department === department);
  $('split-from').textContent = department;
  $('split-departments').replaceChildren(...state.report.departments.filter((d) => d !== department).map((d) => new Option(d)));
  $('split-measures').replaceChildren(...measures.map((m) => el('tr', {},
    el('th', { scope: 'row', text: `No.${m.no}` }),
    el('td', { text: m.content }),
    el('td', {}, el('input', { type: 'text', list: 'split-departments', 'data-measure': String(m.id), 'aria-label': `No.${m.no} ${m.content} の移す先の課名`, 'data-field': '分割先の課名' })))));
  const dialog = $('split-dialog');
  for (;;) {
    if (await ask(dialog) !== 'ok') return false;
    const parts = new Map();
    for (const input of dialog.querySelectorAll('[data-measure]')) {
      const name = input.value.trim();
      if (!name) continue;
      if (!parts.has(name)) parts.set(name, []);
      parts.get(name).push(Number(input.dataset.measure));
    }
    dialog.showModal();
    const listed = [...parts.entries()].map(([name, ids]) => ({ name, measures: ids }));
    const names = listed.map((p) => p.name).join('・');
    if (await run(() => api.departmentSplit(department, listed), `${department} を分割しました（${names}）`)) {
      dialog.close('done');
      return true;
    }
  }
}

