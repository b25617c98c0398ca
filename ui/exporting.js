// The consolidated report out of the window: the sheet in the printed layout, or CSV; and the
// accessible web page for the city's website.
import * as api from './api.js';
import { chooseToOpen, chooseToSave, confirmAction } from './dialogs.js';
import { $ } from './dom.js';
import { messageOf, setSaveState, showError } from './feedback.js';
import { flush } from './saving.js';
import { state } from './state.js';

export async function exportReport() {
  await flush();
  // A sheet for the council with a department's answer still undecided is rarely meant.
  const conflicts = state.report.conflictMeasures.length;
  if (conflicts && !(await confirmAction(`未解決の競合がある実施内容が ${conflicts} 件あります。このまま出力すると、競合しているセルは取りまとめの今の値で出力されます。先に「提出状況」で選ぶこともできます。`, 'このまま出力'))) return;
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
    setSaveState(`出力できません：${messageOf(error)}`, 'error');
    showError(error);
  } finally {
    button.disabled = false;
    button.textContent = 'Excel に出力…';
  }
}

/** The public web page (index.html, its stylesheet and the CSV) into a folder the user chooses. */
export async function publishPage() {
  await flush();
  const folder = await chooseToOpen({ directory: true, title: '公開用ページの出力先フォルダ' });
  if (!folder) return;
  const button = $('publish');
  button.disabled = true;
  setSaveState('公開用ページを出力しています…', 'saving');
  try {
    const done = await api.publishSite(folder);
    setSaveState(`✓ 公開用ページを出力しました：${done.years} ${done.measures} 件（${done.page}）`, 'saved');
  } catch (error) {
    setSaveState(`出力できません：${messageOf(error)}`, 'error');
    showError(error);
  } finally {
    button.disabled = false;
  }
}
