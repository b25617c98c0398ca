// Reading a sheet in the original layout: what was read and every change, before anything is written.
import * as api from './api.js';
import { ask, chooseToOpen } from './dialogs.js';
import { $, el, row } from './dom.js';
import { showError } from './feedback.js';
import { state } from './state.js';

const PREVIEW_ROWS = 500;

/** Fills the preview for `path`; false when the sheet cannot be read (the error is shown). */
async function preview(path) {
  const select = $('import-department');
  try {
    const p = await api.importPreview(path, select.value || null);
    const s = p.summary;
    $('import-title').textContent = `シートの取り込み（確認）：${s.fileName}`;
    $('import-summary').textContent = `シート「${s.sheet}」：公約 ${s.pledges} 件、実施内容 ${s.measures} 件、担当課 ${s.departments} 課${s.hasMetadata ? '（このアプリの出力）' : ''}`;
    $('import-years').replaceChildren(...s.years.map((y) => row(y.label, `${y.yearCells} 件`, `${y.h1Cells} 件`, `${y.h2Cells} 件`)));
    $('import-department-row').hidden = p.createsReport;
    const notes = [];
    if (p.createsReport) notes.push('この内容で新しい報告を作成します。');
    else if (!select.value) notes.push('既存の報告には、課を選ぶと変更点を表示します。');
    else notes.push(`変更 ${p.changes.length} 件（他課の実施内容 ${p.otherDepartments} 件は取り込みません）`);
    if (p.changes.length > PREVIEW_ROWS) notes.push(`最初の ${PREVIEW_ROWS} 件を表示しています。`);
    if (p.unmatched.length) notes.push(`報告にない実施内容: ${p.unmatched.join('、')}`);
    $('import-note').textContent = notes.join('　');
    $('import-refused-box').hidden = p.refused.length === 0;
    $('import-refused-title').textContent = `取り込まないセル（${p.refused.length} 件）`;
    $('import-refused').replaceChildren(...p.refused.slice(0, PREVIEW_ROWS).map((r) => el('li', { text: r })));
    $('import-changes').replaceChildren(...p.changes.slice(0, PREVIEW_ROWS).map((c) => row(String(c.row), `No.${c.no} ${c.department}`, c.label, c.old, c.new)));
    $('import-ok').disabled = !p.createsReport && (!select.value || p.unmatched.length > 0);
    return true;
  } catch (error) {
    showError(error);
    return false;
  }
}

/** Chooses a sheet, previews it, and imports it when the user confirms. */
export async function importSheet(afterChange, status) {
  const path = await chooseToOpen({ multiple: false, filters: [{ name: 'Excel ブック', extensions: ['xlsx'] }] });
  if (!path) return;
  const select = $('import-department');
  select.replaceChildren(new Option('（選んでください）', ''), ...state.report.departments.map((d) => new Option(d, d)));
  select.onchange = () => preview(path);
  if (!await preview(path)) return;
  if (await ask($('import-dialog')) !== 'ok') return;
  try {
    const done = await api.importApply(path, select.value || null);
    // Said once the view shows it.
    await afterChange();
    status(done.created
      ? `シートから報告を作成しました（実施内容 ${done.measures} 件）`
      : `取り込みました：反映 ${done.merged.applied} 件 / 競合 ${done.merged.conflicts} 件`);
  } catch (error) {
    showError(error);
  }
}
