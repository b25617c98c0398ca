// The coordinator's submission board (packages out, submissions in, conflicts) and the
// department's submission with the 課長's approval.
import * as api from './api.js';
import { ask } from './dialogs.js';

const $ = (id) => document.getElementById(id);
const cell = (text) => Object.assign(document.createElement('td'), { textContent: text ?? '' });

/** Opens the board; `afterChange` reloads the report when a merge or a choice changed it. */
export async function openBoard(afterChange, toast) {
  const dialog = $('submissions-dialog');
  await refresh(toast, afterChange);
  if (!dialog.open) dialog.showModal();
}

async function refresh(toast, afterChange) {
  try {
    const [board, reminder] = await api.submissionBoard();
    $('board-title').textContent = `提出状況：${board.period.label}${board.period.deadline ? `（締切 ${board.period.deadline}）` : ''}`;
    $('board-rows').replaceChildren(...board.departments.map((d) => {
      const tr = document.createElement('tr');
      tr.className = d.missing ? 'missing-row' : d.conflicts ? 'conflict-row' : '';
      tr.append(cell(d.department), cell(String(d.measures)), cell(d.issuedAt ? d.issuedAt.replace('T', ' ') : '—'),
        cell(d.receivedAt ? `${d.receivedAt.replace('T', ' ')}（${d.receivedFile}）` : '未提出'),
        cell(d.approvedBy ?? ''), cell(String(d.applied)), cell(d.conflicts ? `${d.conflicts} 件` : ''));
      return tr;
    }));
    $('reminder').value = reminder;
  } catch (error) {
    $('board-title').textContent = `提出状況：${api.messageOf(error)}`;
  }
  const conflicts = await api.conflictsList();
  const box = $('conflicts');
  box.replaceChildren();
  if (!conflicts.length) box.textContent = '競合はありません。';
  for (const c of conflicts) {
    const div = document.createElement('div');
    div.className = 'conflict';
    const title = document.createElement('div');
    title.className = 'conflict-title';
    title.textContent = `実施内容 ID ${c.key.measure_id} ／ ${c.key.year}年度 ${c.key.field} ／ ${c.department}（${c.source}）`;
    const sides = document.createElement('div');
    sides.className = 'sides';
    for (const [label, value, take] of [['元の値', c.baseValue, 'base'], ['取りまとめ', c.coordinatorValue, 'coordinator'], ['担当課', c.departmentValue, 'department']]) {
      const side = document.createElement('div');
      side.className = 'side';
      const h = Object.assign(document.createElement('div'), { className: 'side-label', textContent: label });
      const v = Object.assign(document.createElement('div'), { className: 'side-value', textContent: value || '（空欄）' });
      const b = Object.assign(document.createElement('button'), { type: 'button', textContent: 'これを採用' });
      b.addEventListener('click', async () => {
        try {
          await api.conflictResolve(c.key, take);
          await refresh(toast, afterChange);
          await afterChange();
        } catch (error) { toast(api.messageOf(error)); }
      });
      side.append(h, v, b);
      sides.append(side);
    }
    div.append(title, sides);
    box.append(div);
  }
}

export function setUpBoard(afterChange, toast) {
  $('merge-files').addEventListener('click', async () => {
    const paths = await api.openDialog({ multiple: true, filters: [{ name: '提出ファイル', extensions: ['json'] }] });
    if (!paths || !paths.length) return;
    const list = Array.isArray(paths) ? paths : [paths];
    try {
      const outcomes = await api.submissionsMerge(list);
      $('merge-result').replaceChildren(...outcomes.map((o) => {
        const p = document.createElement('p');
        if (o.refused) { p.className = 'refused'; p.textContent = `✗ ${o.file}: 取り込めません — ${o.refused}`; }
        else if (o.alreadyMerged) p.textContent = `− ${o.file}: 取り込み済みのため何も変更していません`;
        else p.textContent = `✓ ${o.file}（${o.department}）: 反映 ${o.merged.applied} 件 / 変更なし ${o.merged.unchanged} 件 / 競合 ${o.merged.conflicts.length} 件`;
        return p;
      }));
      await refresh(toast, afterChange);
      await afterChange();
    } catch (error) { toast(api.messageOf(error)); }
  });
  $('write-packages').addEventListener('click', async () => {
    const folder = await api.openDialog({ directory: true });
    if (!folder) return;
    try {
      const n = await api.packagesWrite(folder);
      $('merge-result').textContent = `${n} 課分の提出用パッケージを ${folder} に作成しました。`;
      await refresh(toast, afterChange);
    } catch (error) { toast(api.messageOf(error)); }
  });
  $('copy-reminder').addEventListener('click', () => {
    $('reminder').select();
    document.execCommand('copy');
  });
}

/** A department writes its submission, with the 課長's name and the date of approval. */
export async function writeSubmission(toast, status) {
  const dialog = $('submit-dialog');
  $('approved-on').value = new Date().toISOString().slice(0, 10);
  const choice = await ask(dialog);
  if (choice !== 'ok') return;
  const path = await api.saveDialog('提出ファイル.json', [{ name: '提出ファイル', extensions: ['json'] }]);
  if (!path) return;
  try {
    const changed = await api.submissionWrite(path, $('approver').value, $('approved-on').value);
    status(`✓ 提出ファイルを作成しました（変更 ${changed} 件）`);
  } catch (error) { toast(api.messageOf(error)); }
}
