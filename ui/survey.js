// The 一覧 view: the whole report a measure a line, for the coordinator who surveys rather than
// writes. Each line has the measure's marks over every half-year (each with its meaning for a
// screen reader) and its latest status's first line; its link opens the measure's card.
import { $, el } from './dom.js';
import { MARKS, fieldOf } from './model.js';
import { state } from './state.js';

/** Every half of the report, oldest first, with the label a screen reader says. */
const allHalves = () => state.report.years.flatMap((year) =>
  year.halves.map((half) => ({ year, half, label: `${year.label} ${half.label}` })));

const meaningOf = (glyph) => MARKS.find((m) => m.glyph === glyph)?.meaning ?? (glyph || '未入力');

/** A measure's marks over the half-years, as small glyphs; a year with a note shows it once. */
function marksOf(measure, halves) {
  const line = el('span', { class: 'survey-marks' });
  for (const { year, half, label } of halves) {
    const cells = measure.cells[year.year] ?? {};
    if (cells.year_note) {
      if (half === year.halves[0]) line.append(el('span', { class: 'survey-note', title: `${year.label}：${cells.year_note}`, text: cells.year_note }));
      continue;
    }
    const glyph = cells[fieldOf('indicator', half.half)] ?? '';
    line.append(el('span', {
      class: 'survey-mark', role: 'img', 'aria-label': `${label}：${meaningOf(glyph)}`, title: `${label}：${meaningOf(glyph)}`, text: glyph || '・',
    }));
  }
  return line;
}

/** The newest status written for the measure, and the half it is from. */
function latestStatus(measure, halves) {
  for (let i = halves.length - 1; i >= 0; i -= 1) {
    const { year, half, label } = halves[i];
    const text = (measure.cells[year.year] ?? {})[fieldOf('status', half.half)]?.trim();
    if (text) return { text: text.split('\n')[0], label };
  }
  return null;
}

/**
 * Draws the 一覧 into `container`. `openCard(measure)` is called by a measure's link (a click
 * or Enter): it takes the user to the card.
 */
export function renderSurvey(container, openCard) {
  const halves = allHalves();
  const from = halves[0]?.label ?? '';
  const to = halves[halves.length - 1]?.label ?? '';
  const head = el('tr', {},
    el('th', { scope: 'col', class: 'survey-no', text: 'No.' }),
    el('th', { scope: 'col', class: 'survey-dept', text: '担当課' }),
    el('th', { scope: 'col', class: 'survey-content', text: '実施内容' }),
    el('th', { scope: 'col', class: 'survey-trend', text: `指標（${from} → ${to}）` }),
    el('th', { scope: 'col', text: '最新の状況' }));
  const body = el('tbody');
  let lastNo = null;
  for (const measure of state.report.measures) {
    if (measure.no !== lastNo) {
      lastNo = measure.no;
      body.append(el('tr', { class: 'survey-pledge', 'data-no': measure.no },
        el('th', { scope: 'rowgroup', colspan: 5, text: `No.${measure.no}　${measure.pledge.split('\n')[0]}` })));
    }
    const status = latestStatus(measure, halves);
    const link = el('a', { href: `#measure-${measure.id}`, 'data-measure': measure.id, text: measure.content.split('\n')[0] || '（実施内容なし）' });
    body.append(el('tr', { id: `survey-${measure.id}`, 'data-id': measure.id, 'data-no': measure.no },
      el('td', { class: 'survey-no', text: `No.${measure.no}` }),
      el('td', { class: 'survey-dept', title: measure.department, text: measure.department }),
      el('td', { class: 'survey-content' }, el('span', { class: 'clamp' }, link)),
      el('td', { class: 'survey-trend' }, marksOf(measure, halves)),
      el('td', { class: 'survey-status' }, status
        ? el('span', { class: 'clamp' }, el('span', { class: 'survey-when', text: `${status.label}　` }), status.text)
        : el('span', { class: 'survey-when', text: '状況の記入なし' }))));
  }
  const table = el('table', { class: 'survey', 'aria-label': '実施内容の一覧' }, el('thead', {}, head), body);
  table.addEventListener('click', (e) => {
    const link = e.target.closest('a[data-measure]');
    if (!link) return;
    e.preventDefault();
    openCard(state.measureById.get(Number(link.dataset.measure)));
  });
  container.replaceChildren(table);
}

/** Shows or hides the 一覧's lines as the filters do the cards. */
export function filterSurvey(shownIds) {
  const table = $('survey').querySelector('table');
  if (!table) return;
  const pledges = new Set();
  for (const row of table.querySelectorAll('tbody tr[data-id]')) {
    const show = shownIds.has(Number(row.dataset.id));
    if (row.hidden === show) row.hidden = !show;
    if (show) pledges.add(Number(row.dataset.no));
  }
  for (const row of table.querySelectorAll('tr.survey-pledge')) row.hidden = !pledges.has(Number(row.dataset.no));
}
