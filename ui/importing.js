// Reading a sheet in the original layout: what was read and every change, before anything is written.
import * as api from './api.js';
import { ask } from './dialogs.js';

const $ = (id) => document.getElementById(id);
const row = (...texts) => {
  const tr = document.createElement('tr');
  for (const t of texts) tr.append(Object.assign(document.createElement('td'), { textContent: t ?? '' }));
  return tr;
};

/** Chooses a sheet, previews it, and imports it when the user confirms. */
export async function importSheet(report, afterChange, toast, status) {
  const path = await api.openDialog({ multiple: false, filters: [{ name: 'Excel ブック', extensions: ['xlsx'] }] });
  if (!path) return;
  const select = $('import-department');
  select.replaceChildren(new Option('（選んでください）', ''), ...report.departments.map((d) => new Option(d, d)));
  const show = async () => {
    try {
      const preview = await api.importPreview(path, select.value || null);
      const s = preview.summary;
      $('import-title').textContent = `シートの取り込み（確認）：${s.fileName}`;
      $('import-summary').textContent = `シート「${s.sheet}」：公約 ${s.pledges} 件、実施内容 ${s.measures} 件、担当課 ${s.departments} 課${s.hasMetadata ? '（このアプリの出力）' : ''}`;
      $('import-years').replaceChildren(...s.years.map((y) => row(y.label, `${y.yearCells} 件`, `${y.h1Cells} 件`, `${y.h2Cells} 件`)));
      $('import-department-row').hidden = preview.createsReport;
      const notes = [];
      if (preview.createsReport) notes.push('この内容で新しい報告を作成します。');
      else if (!select.value) notes.push('既存の報告には、課を選ぶと変更点を表示します。');
      else notes.push(`変更 ${preview.changes.length} 件（他課の実施内容 ${preview.otherDepartments} 件は取り込みません）`);
      if (preview.unmatched.length) notes.push(`報告にない実施内容: ${preview.unmatched.join('、')}`);
      $('import-note').textContent = notes.join('　');
      $('import-changes').replaceChildren(...preview.changes.slice(0, 500).map((c) => row(String(c.row), `No.${c.no} ${c.department}`, `${c.year}年度 ${c.label}`, c.old, c.new)));
      $('import-ok').disabled = !preview.createsReport && (!select.value || preview.unmatched.length > 0);
    } catch (error) {
      toast(api.messageOf(error));
      $('import-dialog').close('cancel');
    }
  };
  select.onchange = show;
  await show();
  const dialog = $('import-dialog');
  const choice = await ask(dialog);
  if (choice !== 'ok') return;
  try {
    const done = await api.importApply(path, select.value || null);
    status(done.created
      ? `✓ シートから報告を作成しました（実施内容 ${done.measures} 件）`
      : `✓ 取り込みました：反映 ${done.merged.applied} 件 / 競合 ${done.merged.conflicts.length} 件`);
    await afterChange();
  } catch (error) {
    toast(api.messageOf(error));
  }
}
