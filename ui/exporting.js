// The consolidated report out of the window: the sheet in the printed layout, or CSV.
import * as api from './api.js';
import { chooseToSave } from './dialogs.js';
import { $ } from './dom.js';
import { setSaveState, showError } from './feedback.js';
import { flush } from './saving.js';

export async function exportReport() {
  await flush();
  const today = new Date().toISOString().slice(0, 10);
  const path = await chooseToSave(`重点政策進捗_${today}.xlsx`, [
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
    showError(error);
  } finally {
    button.disabled = false;
    button.textContent = 'Excel に出力…';
  }
}
