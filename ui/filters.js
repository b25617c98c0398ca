// The sidebar's filters and the tally of the open period. The filter searches a prepared index
// (one text per measure), a moment after the last key, so typing stays fluent at 2,000 measures.
import { $, el } from './dom.js';
import { focusInCard } from './cards.js';
import { keyId, marks } from './model.js';
import { filterSurvey } from './survey.js';
import { showView } from './views.js';
import { department, isCoordinator, state } from './state.js';

const FILTER_DELAY_MS = 150;

/** Measure id → everything searchable in it, built on first use after a change. */
const index = new Map();
let timer = null;

/**
 * Text as the search compares it: NFKC (full-width digits and letters, half-width kana), lower
 * case, no white space, as the core folds names. 第7課 finds 第７課, and ｺﾄﾞﾓ finds コドモ.
 */
const fold = (text) => text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

function searchable(measure) {
  let text = index.get(measure.id);
  if (text === undefined) {
    text = fold([measure.pledge, measure.content, measure.department, ...Object.values(measure.cells).flatMap((c) => Object.values(c))].join('\n'));
    index.set(measure.id, text);
  }
  return text;
}

/** A saved cell: the measure's index entry and the tally change. */
export function cellChanged(measure) {
  index.delete(measure.id);
  updateTally();
}

/** The report was read again: every entry is rebuilt when next searched. */
export function reportChanged() {
  index.clear();
}

const openField = (suffix) => `${state.report.openPeriod.half.toLowerCase()}_${suffix}`;

export function applyFilters() {
  clearTimeout(timer);
  const text = $('filter-text').value.trim();
  const dept = $('filter-department').value;
  const chosenMarks = [...document.querySelectorAll('#filter-marks input:checked')].map((i) => i.value);
  const open = state.report.openPeriod;
  // A pledge number, typed in full-width digits too (NFKC, as the rest of the app reads them).
  const digits = text.normalize('NFKC');
  const number = /^\d+$/.test(digits) ? Number(digits) : null;
  const wanted = fold(text);
  const visiblePledges = new Set();
  const shownIds = new Set();
  let shown = 0;
  for (const m of state.report.measures) {
    let show = true;
    if (number !== null) show = m.no === number;
    else if (wanted) show = searchable(m).includes(wanted);
    if (show && dept) show = dept === '__own' ? m.department === department() : m.department === dept;
    if (show && chosenMarks.length && open) {
      const mark = (m.cells[open.year] ?? {})[openField('indicator')] ?? '';
      show = chosenMarks.includes(mark || 'none');
    }
    const card = document.getElementById(`measure-${m.id}`);
    if (card && card.hidden === show) card.hidden = !show;
    if (show) { visiblePledges.add(m.no); shownIds.add(m.id); shown += 1; }
  }
  // A department's own measures are what its tally counts anyway: that choice filters nothing.
  const filtering = Boolean(text || (dept && dept !== '__own') || chosenMarks.length);
  filtered = filtering ? shownIds : null;
  updateTally();
  for (const h of document.querySelectorAll('h2.pledge')) h.hidden = !visiblePledges.has(Number(h.dataset.no));
  filterSurvey(shownIds);
  // A search with no match says so, instead of a blank pane.
  const none = $('no-match');
  none.hidden = shown > 0 || !state.report.measures.length;
  if (!none.hidden) none.textContent = text ? `「${text}」に一致する実施内容はありません。絞り込みの条件を変えてください。` : '絞り込みの条件に合う実施内容はありません。';
}

function applyFiltersSoon() {
  clearTimeout(timer);
  timer = setTimeout(applyFilters, FILTER_DELAY_MS);
}

/** The department list and the indicator boxes, for the report and the user as they are now. */
export function setUpFilters() {
  const select = $('filter-department');
  const chosen = select.value;
  select.replaceChildren(new Option('すべての課', ''));
  if (department()) select.append(new Option(`${department()}（自課のみ）`, '__own'));
  for (const d of state.report.departments) select.append(new Option(d, d));
  select.value = [...select.options].some((o) => o.value === chosen && chosen) ? chosen : department() ? '__own' : '';
  const boxes = $('filter-marks');
  if (!boxes.childElementCount) {
    for (const m of [...marks(), { glyph: 'none', meaning: '未入力のみ' }]) {
      const box = el('input', { type: 'checkbox', value: m.glyph });
      box.addEventListener('change', applyFilters);
      boxes.append(el('label', {}, box, ` ${m.glyph === 'none' ? '' : m.glyph} ${m.meaning}`));
    }
  }
}

export function listenToFilters() {
  $('missing').addEventListener('click', goToMissing);
  $('filter-text').addEventListener('input', applyFiltersSoon);
  $('filter-department').addEventListener('change', applyFilters);
}

/** The ids of the measures the filters show, or null while no filter is set. */
let filtered = null;

/**
 * The measures the tally and the 未入力 list count: the user's own, or all for the coordinator,
 * and of those only what the filters show.
 */
const counted = () => state.report.measures.filter((m) => (isCoordinator() || m.department === department())
  && (filtered === null || filtered.has(m.id)));

/**
 * The items of `measures` still empty in the open period: its indicator, or its status (a year
 * with a note has none to fill). Each as { m, what, field }.
 */
export function missingIn(measures) {
  const open = state.report.openPeriod;
  if (!open) return [];
  const missing = [];
  for (const m of measures) {
    const cells = m.cells[open.year] ?? {};
    if (cells.year_note) continue;
    const mark = cells[openField('indicator')] ?? '';
    const status = cells[openField('status')] ?? '';
    if (!mark || !status.trim()) {
      missing.push({ m, what: !mark ? '指標' : '状況', field: openField(!mark ? 'indicator' : 'status') });
    }
  }
  return missing;
}

export function updateTally() {
  const open = state.report.openPeriod;
  const node = $('tally');
  if (!open) {
    node.hidden = true;
    $('missing-count').textContent = '';
    $('missing').replaceChildren();
    return;
  }
  const counts = Object.fromEntries(marks().map((m) => [m.glyph, 0]));
  const measures = counted();
  for (const m of measures) {
    const mark = (m.cells[open.year] ?? {})[openField('indicator')] ?? '';
    if (mark in counts) counts[mark] += 1;
  }
  const missing = missingIn(measures);
  const who = `${isCoordinator() ? '全課' : department()}${filtered === null ? '' : '・絞り込み'}`;
  node.replaceChildren(
    el('span', { class: 'tally-title', text: `${open.label}（${who} ${measures.length}件）` }),
    open.deadlineLabel ? el('span', { class: 'tally-item deadline', text: `締切 ${open.deadlineLabel}` }) : '',
    ...marks().map((m) => el('span', { class: 'tally-item', title: m.meaning, text: `${m.glyph} ${counts[m.glyph]}` })),
    el('span', { class: 'tally-item missing-count', text: `未入力 ${missing.length}` }),
  );
  node.hidden = false;
  $('missing-count').textContent = `（${missing.length}）`;
  $('missing').replaceChildren(...missing.slice(0, 200).map(({ m, what, field }) =>
    el('li', {}, el('a', {
      href: `#measure-${m.id}`, 'data-key': keyId(m.id, open.year, field),
      text: `No.${m.no} ${m.department} ${what}`,
    }))));
}

/**
 * A 未入力 link takes the focus to the empty field itself, by click or Enter: the card is drawn
 * when it scrolls near, so the field is looked for until it is there (an anchor alone would
 * scroll and leave the focus on the page).
 */
function goToMissing(e) {
  const link = e.target.closest('a[data-key]');
  if (!link) return;
  e.preventDefault();
  showView('cards');
  focusInCard(Number(link.dataset.key.split(':')[0]), link.dataset.key);
}
