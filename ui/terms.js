// A new mayor's term, and the past terms' read-only copies (管理): the report of the term that
// ends is kept and can still be exported; the report starts again for the new pledges.
import * as api from './api.js';
import { ask, chooseToSave } from './dialogs.js';
import { $, el } from './dom.js';
import { setSaveState, showError } from './feedback.js';
import { state } from './state.js';

/** Lists the past terms, each with its export button. */
export async function fillTerms() {
  let terms = [];
  try { terms = await api.termsList(); } catch (error) { showError(error); }
  $('terms').replaceChildren(...terms.map((t) => el('tr', {},
    el('th', { scope: 'row', text: t.yearsLabel }),
    el('td', { text: t.title }),
    el('td', { text: `${t.measures} 件` }),
    el('td', { text: t.archivedAtLabel }),
    el('td', {}, exportButton(t)))));
  $('terms').closest('table').hidden = terms.length === 0;
  $('terms-none').hidden = terms.length > 0;
}

function exportButton(term) {
  const b = el('button', { type: 'button', 'aria-label': `${term.yearsLabel} の報告を Excel に出力`, text: 'Excel に出力…' });
  b.addEventListener('click', async () => {
    const path = await chooseToSave(`重点政策進捗_${term.yearsLabel}.xlsx`, [{ name: 'Excel ブック', extensions: ['xlsx'] }]);
    if (!path) return;
    try {
      const done = await api.termExport(term.path, path);
      setSaveState(`✓ 過去の任期を出力しました：${done.years} ${done.measures} 件（${done.pages} ページ）`, 'saved');
    } catch (error) { showError(error); }
  });
  return b;
}

/** Asks for the new term's title and first year, then starts it; `reload` redraws the report and 管理. */
async function startTerm(reload) {
  const report = state.report;
  $('term-new-title').value = report.title;
  const open = report.openPeriod?.year;
  $('term-first-year').replaceChildren(...report.years.map((y) => new Option(y.label, String(y.year))));
  $('term-first-year').value = String(open ?? report.years.at(-1)?.year ?? '');
  const dialog = $('term-dialog');
  for (;;) {
    if (await ask(dialog) !== 'ok') return;
    try {
      const done = await api.termStart($('term-new-title').value, Number($('term-first-year').value));
      await reload();
      setSaveState(`✓ 新しい任期を ${done.firstYearLabel} から始めました。前の任期（${done.archivedYearsLabel}、${done.archivedMeasures} 件）は ${done.archive} に保管しました`, 'saved');
      return;
    } catch (error) {
      dialog.showModal();
      showError(error);
    }
  }
}

export function setUpTerms(reload) {
  $('term-new').addEventListener('click', () => startTerm(reload));
}
