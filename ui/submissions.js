// The coordinator's submission board (packages out, submissions in, conflicts) and the
// department's submission with the 課長's approval.
import * as api from './api.js';
import { PACKAGE_FILES, SUBMISSION_FILES } from './files.js';
import { ask, chooseToOpen, chooseToSave, confirmAction } from './dialogs.js';
import { $, dateLabel, el, row } from './dom.js';
import { showError } from './feedback.js';
import { missingIn } from './filters.js';
import { department, state } from './state.js';

/** Reads the report again after a merge or a choice changed it. */
let reload = async () => {};

/** Opens the board. */
export async function openBoard() {
  await refresh();
  await ask($('submissions-dialog'));
}

function boardRow(d) {
  const tr = row(d.department, String(d.measures), d.issuedAtLabel || '—',
    d.receivedAtLabel ? `${d.receivedAtLabel}（${d.receivedFile}）` : '未提出',
    d.approvedBy ?? (d.missing ? '' : '承認なし'), String(d.applied), conflictsLabel(d));
  tr.className = d.missing ? 'missing-row' : d.conflicts ? 'conflict-row' : '';
  return tr;
}

/** 「2 件」 waiting, and the settled ones beside: 「2 件、解決済み 1 件」. */
function conflictsLabel(d) {
  const parts = [];
  if (d.conflicts) parts.push(`${d.conflicts} 件`);
  if (d.settled) parts.push(`解決済み ${d.settled} 件`);
  return parts.join('、');
}

function conflictView(c) {
  const sides = el('div', { class: 'sides' });
  for (const [label, value, take] of [['元の値', c.baseValue, 'base'], ['取りまとめ', c.coordinatorValue, 'coordinator'], ['担当課', c.departmentValue, 'department']]) {
    const choose = el('button', { type: 'button', 'aria-label': `${c.label}：${label}の値を採用`, text: 'これを採用' });
    choose.addEventListener('click', async () => {
      try {
        await api.conflictResolve(c.key, take);
        await refresh();
        await reload();
      } catch (error) { showError(error); }
    });
    sides.append(el('div', { class: 'side' },
      el('div', { class: 'side-label', text: label }),
      el('div', { class: 'side-value', text: value || '（空欄）' }),
      choose));
  }
  return el('div', { class: 'conflict', role: 'group', 'aria-label': c.label },
    el('div', { class: 'conflict-title', text: `${c.label} ／ ${c.department}（${c.source}、${c.receivedAtLabel}）` }),
    sides);
}

async function refresh() {
  try {
    const board = await api.submissionBoard();
    $('board-title').textContent = `提出状況：${board.period.label}${board.period.deadlineLabel ? `（締切 ${board.period.deadlineLabel}）` : ''}`;
    $('board-rows').replaceChildren(...board.departments.map(boardRow));
    $('reminder').value = board.reminder;
  } catch (error) {
    $('board-title').textContent = `提出状況：${error?.message ?? error}`;
  }
  try {
    const conflicts = await api.conflictsList();
    const box = $('conflicts');
    box.replaceChildren(...conflicts.map(conflictView));
    if (!conflicts.length) box.textContent = '競合はありません。';
  } catch (error) { showError(error); }
}

/** Merges submission files and shows what each did on the board. */
async function mergeFiles(paths) {
  try {
    const outcomes = await api.submissionsMerge(paths);
    $('merge-result').replaceChildren(...outcomes.map(mergeResult));
    await refresh();
    await reload();
  } catch (error) { showError(error); }
}

/** A submission opened by a double-click: merged, and the board shows the outcome. */
export async function mergeOpenedSubmission(path) {
  $('merge-result').replaceChildren();
  const dialog = $('submissions-dialog');
  if (!dialog.open) dialog.showModal();
  await mergeFiles([path]);
  await ask(dialog);
}

function mergeResult(o) {
  if (o.refused) return el('p', { class: 'refused', text: `✗ ${o.file}: 取り込めません — ${o.refused}` });
  if (o.alreadyMerged) return el('p', { text: `− ${o.file}: 取り込み済みのため何も変更していません` });
  return el('p', { text: `✓ ${o.file}（${o.department}）: 反映 ${o.merged.applied} 件 / 変更なし ${o.merged.unchanged} 件 / 競合 ${o.merged.conflicts} 件` });
}

export function setUpBoard(afterChange) {
  reload = afterChange;
  $('merge-files').addEventListener('click', async () => {
    const paths = await chooseToOpen({ multiple: true, filters: [SUBMISSION_FILES] });
    if (!paths || !paths.length) return;
    await mergeFiles(Array.isArray(paths) ? paths : [paths]);
  });
  $('write-packages').addEventListener('click', async () => {
    const folder = await chooseToOpen({ directory: true });
    if (!folder) return;
    try {
      const n = await api.packagesWrite(folder);
      $('merge-result').textContent = `${n} 課分の提出用パッケージを ${folder} に作成しました。`;
      await refresh();
    } catch (error) { showError(error); }
  });
  $('copy-reminder').addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText($('reminder').value);
    } catch {
      $('reminder').select();
      document.execCommand('copy');
    }
  });
}

/** A department writes its submission, with the 課長's name and the date of approval. */
export async function writeSubmission(status) {
  const dialog = $('submit-dialog');
  $('approved-on').value = dateLabel(new Date());
  // A refused approval (an unreadable date) keeps the dialog, the field at fault highlighted.
  for (;;) {
    if (await ask(dialog) !== 'ok') return;
    // Without the 課長's name the board shows 「承認なし」: a deliberate choice, never a slip.
    if (!$('approver').value.trim()
      && !(await confirmAction('課長の承認（氏名）が入力されていません。承認なしで作成すると、取りまとめの提出状況に「承認なし」と表示されます。', '承認なしで作成'))) {
      continue;
    }
    const own = state.report.measures.filter((m) => m.department === department());
    const missing = missingIn(own);
    if (missing.length) {
      const named = missing.slice(0, 8).map(({ m, what }) => `No.${m.no} ${what}`).join('、');
      const more = missing.length > 8 ? ` ほか ${missing.length - 8} 件` : '';
      if (!(await confirmAction(`${state.report.openPeriod.label} の未入力が ${missing.length} 件あります（${named}${more}）。未入力のまま提出ファイルを作成しますか。`, '未入力のまま作成'))) return;
    }
    const path = await chooseToSave(`${state.packageDepartment ?? '提出ファイル'}.shinchoku-submission`, [SUBMISSION_FILES]);
    if (!path) return;
    dialog.showModal();
    try {
      const changed = await api.submissionWrite(path, $('approver').value, $('approved-on').value);
      dialog.close('written');
      status(`提出ファイルを作成しました（変更 ${changed} 件）`);
      await showSubmitted(path, changed);
      return;
    } catch (error) { showError(error); }
  }
}

/** Where the submission went, and what to do with it next, with its folder a click away. */
async function showSubmitted(path, changed) {
  $('submitted-path').textContent = path;
  $('submitted-summary').textContent = `提出ファイルを作成しました（変更 ${changed} 件）。`;
  const dialog = $('submitted-dialog');
  const reveal = $('submitted-reveal');
  const onReveal = async () => { try { await api.fileReveal(path); } catch (error) { showError(error); } };
  reveal.addEventListener('click', onReveal);
  await ask(dialog);
  reveal.removeEventListener('click', onReveal);
}

/**
 * A department takes the next half-year's package: its period opens and the coordinator's values
 * replace the old ones. Changes never submitted are named first, and let go only at the user's
 * word. Resolves to true when the database changed.
 */
export async function takeNextPackage(status, opened = null) {
  const path = opened ?? await chooseToOpen({ multiple: false, filters: [PACKAGE_FILES] });
  if (!path) return false;
  let discardUnsent = false;
  for (;;) {
    try {
      const done = await api.packageUpdate(path, discardUnsent);
      status(done.already
        ? `このパッケージは取り込み済みです（${done.period}）`
        : `${done.period} のパッケージを取り込みました（取りまとめの値に更新 ${done.replaced.length} 件${done.discarded ? `、破棄した未提出の変更 ${done.discarded} 件` : ''}）`);
      return !done.already;
    } catch (error) {
      if (error?.code !== 'unsent' || discardUnsent) { showError(error); return false; }
      $('unsent-message').textContent = error.message;
      if (await ask($('unsent-dialog')) !== 'discard') return false;
      discardUnsent = true;
    }
  }
}
