// The 一覧 (the term at a glance): the whole report a pledge at a time, each pledge with its
// state (「3 件中 ☆1 ○1 △1」) and each measure on one line with its symbols over every
// half-year, how its latest symbol moved, and its latest status. All of it is the core's roll-up
// (report_overview); this only lays it out. A measure's link opens its card; the lines can be
// ordered with those that need attention (△ or × now, or worse than before) first.
import * as api from './api.js';
import { $, el } from './dom.js';
import { showError } from './feedback.js';

/** 'number' (the sheet's order) or 'attention' (what needs attention first). */
let order = 'number';

/** The glyphs of a measure over the half-years; each says its half and meaning. */
const marksOf = (measure) => el('span', { class: 'survey-marks' }, ...measure.marks.map((mark) =>
  el('span', { class: 'survey-mark', role: 'img', 'aria-label': mark.description, title: mark.description, text: mark.glyph || '・' })));

/**
 * A measure's line, one text line high so that a screen holds many: the texts are cut to a line
 * (their whole is on the card, and in the title), the latest symbol's words are for screen
 * readers and the title.
 */
function measureLine(pledge, measure) {
  const link = el('a', { href: `#measure-${measure.id}`, 'data-measure': measure.id, title: measure.content, text: measure.content || '（実施内容なし）' });
  return el('tr', { id: `survey-${measure.id}`, 'data-id': measure.id, 'data-no': pledge.no, class: measure.needsAttention ? 'attention' : '' },
    el('td', { class: 'survey-no', text: `No.${pledge.no}` }),
    el('td', { class: 'survey-dept', title: measure.department, text: measure.department }),
    el('td', { class: 'survey-content' }, el('span', { class: 'clamp' }, link)),
    el('td', { class: 'survey-trend', title: measure.latest }, marksOf(measure),
      el('span', { class: 'visually-hidden', text: `最新：${measure.latest}` })),
    el('td', { class: 'survey-status' }, measure.status
      ? el('span', { class: 'clamp', title: measure.status, text: measure.status })
      : el('span', { class: 'survey-when', text: '状況の記入なし' })));
}

function pledgeLine(pledge) {
  return el('tr', { class: 'survey-pledge', 'data-no': pledge.no },
    el('th', { scope: 'rowgroup', colspan: 5 },
      el('span', { text: `No.${pledge.no}　${pledge.title}` }),
      el('span', { class: 'survey-state', text: pledge.state }),
      pledge.needsAttention ? el('span', { class: 'attention-badge', text: '要注意' }) : null));
}

/** The pledges and their measures in the chosen order. */
function ordered(overview) {
  if (order !== 'attention') return overview.pledges;
  const first = (items) => [...items.filter((i) => i.needsAttention), ...items.filter((i) => !i.needsAttention)];
  return first(overview.pledges).map((p) => ({ ...p, measures: first(p.measures) }));
}

/**
 * Draws the 一覧 into `container`. `openCard(measureId)` is called by a measure's link (a
 * click or Enter): it takes the user to the card. Resolves once drawn.
 */
export async function renderSurvey(container, openCard) {
  let overview;
  try {
    overview = await api.reportOverview();
  } catch (error) { showError(error); return; }
  const periods = overview.periods;
  // The header in one line: R5上〜R6下 (each glyph says its half in full).
  const span = periods.length ? `${periods[0].shortLabel}〜${periods[periods.length - 1].shortLabel}` : '';
  const orderChoice = el('select', { id: 'survey-order' },
    new Option('公約の番号順', 'number'), new Option('要注意を先に（△・×、前の期より悪化）', 'attention'));
  orderChoice.value = order;
  orderChoice.addEventListener('change', async () => {
    order = orderChoice.value;
    await renderSurvey(container, openCard);
    $('survey-order')?.focus();
  });
  const head = el('tr', {},
    el('th', { scope: 'col', class: 'survey-no', text: 'No.' }),
    el('th', { scope: 'col', class: 'survey-dept', text: '担当課' }),
    el('th', { scope: 'col', class: 'survey-content', text: '実施内容' }),
    el('th', { scope: 'col', class: 'survey-trend', title: periods.length ? `${periods[0].label}〜${periods[periods.length - 1].label}` : '', text: `指標（${span}）` }),
    el('th', { scope: 'col', text: '最新の状況' }));
  const body = el('tbody');
  for (const pledge of ordered(overview)) {
    body.append(pledgeLine(pledge), ...pledge.measures.map((m) => measureLine(pledge, m)));
  }
  const table = el('table', { class: 'survey', 'aria-label': '公約ごとの状況' }, el('thead', {}, head), body);
  table.addEventListener('click', (e) => {
    const link = e.target.closest('a[data-measure]');
    if (!link) return;
    e.preventDefault();
    openCard(Number(link.dataset.measure));
  });
  const summary = el('div', { class: 'survey-bar' },
    el('h2', { class: 'survey-title', text: '全体の状況' }),
    el('span', { class: 'survey-count', text: `要注意の実施内容 ${overview.attention} 件` }),
    el('label', { class: 'option', for: 'survey-order' }, '並び順'), orderChoice);
  container.replaceChildren(summary, table);
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
