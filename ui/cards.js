// One card per measure, laid out like the printed sheet: 区分 rows × half-year columns.
// Cards are drawn when they come near the screen, so 2,000 measures open as fast as 20; a change
// to some measures redraws only their cards.
import * as api from './api.js';
import { $, el } from './dom.js';
import { ROWS, fieldOf, hints, keyId, marks } from './model.js';
import { flush, saveNow, schedule } from './saving.js';
import { cellName, department, isCoordinatorDatabase, isFolded, isOpen, mayWrite, state, writesAny } from './state.js';

/** How long after the last key a field asks how much of its printed cell it fills. */
const ROOM_DELAY_MS = 150;

/** The shortcut that opens a cell's history, also announced on every cell. */
export const HISTORY_KEYS = 'Shift+F10';

let observer = null;
/** Watches drawn cards, to undraw them when they are far off screen. */
let farObserver = null;

/**
 * How far off screen a drawn card stays drawn. Beyond it the card is undrawn: a drawn card costs
 * about 0.75 MB, and scrolling through 2,000 of them held 1.9 GB.
 */
const KEEP_DRAWN_MARGIN = '2400px 0px';

function observe(card) {
  observer ??= new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        fillCard(entry.target);
      }
    }
  }, { root: $('report'), rootMargin: '800px 0px' });
  observer.observe(card);
}

const pledgeHeading = (measure) =>
  el('h2', { class: 'pledge', id: `pledge-${measure.no}`, 'data-no': measure.no, text: `No.${measure.no}　${measure.pledge.split('\n')[0]}` });

/**
 * A card before it is drawn: one element, so 2,000 of them cost little memory (a shell with its
 * header was 13 elements: 58 MB more at 2,000 measures); the filters and the tally need no more.
 */
function cardShell(measure) {
  const card = el('section', { class: 'card', id: `measure-${measure.id}`, 'data-id': measure.id, 'data-no': measure.no, 'aria-label': `No.${measure.no} ${measure.department}` });
  observe(card);
  return card;
}

/** Draws the shells of every card at once (cheap) and fills each one when it scrolls near. */
/**
 * An empty report says how to begin, in order: last half's sheet, or the years, departments and
 * measures by hand; a department starts from the package it was sent.
 */
function beginningGuide() {
  const coordinator = isCoordinatorDatabase() && !state.report.readOnly;
  const step = (text, buttonText, target) => el('li', {},
    el('span', { text }),
    coordinator && target ? el('button', { type: 'button', class: 'guide-button', text: buttonText, 'data-opens': target }) : null);
  const list = el('ol', { class: 'guide-steps' },
    step('前の期の報告の Excel シートがあれば、それを取り込みます。公約・実施内容・担当課・年度と記入がそのまま入ります。', 'シートを取り込む…', 'import'),
    step('シートがなければ、「管理」で年度（と上半期・下半期の月）、担当課、公約と実施内容を登録します。', '管理を開く', 'admin'),
    step('担当課の方は、取りまとめ担当から届いた提出用パッケージ（.shinchoku-package）をダブルクリックして始めます。', '', null));
  const guide = el('section', { class: 'guide', 'aria-labelledby': 'guide-title' },
    el('h2', { id: 'guide-title', text: 'この報告にはまだ実施内容がありません' }),
    el('p', { text: '次のどれかから始めます。' }),
    list);
  guide.addEventListener('click', (e) => {
    const target = e.target.closest('[data-opens]')?.dataset.opens;
    if (target) document.getElementById(target).click();
  });
  return guide;
}

export function renderReport(container) {
  observer?.disconnect();
  observer = null;
  farObserver?.disconnect();
  farObserver = null;
  container.replaceChildren();
  if (!state.report.measures.length) {
    container.append(beginningGuide());
    return;
  }
  let lastNo = null;
  const fragment = document.createDocumentFragment();
  for (const measure of state.report.measures) {
    if (measure.no !== lastNo) {
      fragment.append(pledgeHeading(measure));
      lastNo = measure.no;
    }
    fragment.append(cardShell(measure));
  }
  container.append(fragment);
}

/** What a card draws of the report besides its measure: a change here redraws every card. */
export const drawnFrom = (report) => JSON.stringify([report.years, report.openPeriod, report.fieldNames]);

/**
 * Brings the drawn report up to `state.report`, which replaced `previous`: a card whose measure
 * is unchanged is kept as it is (with its measure object, which its fields save into), a changed
 * one is drawn anew, and the cards are put in the new order with as few moves as possible.
 */
export function patchReport(container, previous) {
  if (!state.report.measures.length || !previous.measures.length) {
    renderReport(container);
    return;
  }
  const before = new Map(previous.measures.map((m) => [m.id, m]));
  // A card's conflict mark comes from the report, not the measure: a change of it redraws too.
  const conflictedBefore = new Set(previous.conflictMeasures ?? []);
  const conflictedNow = new Set(state.report.conflictMeasures ?? []);
  const wanted = [];
  let lastNo = null;
  state.report.measures = state.report.measures.map((measure) => {
    if (measure.no !== lastNo) {
      const heading = document.getElementById(`pledge-${measure.no}`);
      const fresh = pledgeHeading(measure);
      wanted.push(heading && heading.textContent === fresh.textContent ? heading : fresh);
      lastNo = measure.no;
    }
    const old = before.get(measure.id);
    const card = document.getElementById(`measure-${measure.id}`);
    const sameMark = conflictedBefore.has(measure.id) === conflictedNow.has(measure.id);
    if (old && card && sameMark && JSON.stringify(old) === JSON.stringify(measure)) {
      wanted.push(card);
      return old;
    }
    wanted.push(cardShell(measure));
    return measure;
  });
  state.measureById = new Map(state.report.measures.map((m) => [m.id, m]));
  let cursor = container.firstChild;
  for (const node of wanted) {
    if (node === cursor) { cursor = cursor.nextSibling; continue; }
    container.insertBefore(node, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    if (cursor.classList?.contains('card')) { observer?.unobserve(cursor); farObserver?.unobserve(cursor); }
    cursor.remove();
    cursor = next;
  }
}

function cardHeader(measure) {
  const own = writesAny(measure);
  const caption = measure.pledge.includes('\n') ? measure.pledge.split('\n').slice(1).join(' ') : '';
  const name = `No.${measure.no} ${measure.department}`;
  return el('header', { class: 'card-head' },
    el('span', { class: 'no', text: `No.${measure.no}` }),
    el('span', { class: 'dept', text: measure.department }),
    caption ? el('span', { class: 'caption', text: caption }) : null,
    el('span', { class: 'date', text: `目標期日 ${measure.targetDate || '—'}` }),
    measure.lastYear ? el('span', { class: 'readonly-badge', text: `${state.report.years.find((y) => y.year === measure.lastYear)?.label ?? `${measure.lastYear}年度`}で終了` }) : null,
    own ? null : el('span', { class: 'readonly-badge', text: '閲覧のみ' }),
    state.report.conflictMeasures?.includes(measure.id) ? el('span', { class: 'conflict-badge', text: '競合あり（提出状況で選んでください）' }) : null,
    isCoordinatorDatabase() && !state.report.readOnly ? el('span', { class: 'measure-actions' },
      el('button', { type: 'button', 'data-measure-action': 'up', title: '上へ移動', 'aria-label': `${name} を上へ移動`, text: '↑' }),
      el('button', { type: 'button', 'data-measure-action': 'down', title: '下へ移動', 'aria-label': `${name} を下へ移動`, text: '↓' }),
      el('button', { type: 'button', 'data-measure-action': 'edit', 'aria-label': `${name} の実施内容を編集`, text: '編集' })) : null,
    el('span', { class: 'card-state', 'data-state': '' }),
  );
}

function fillCard(card) {
  const measure = state.measureById.get(Number(card.dataset.id));
  if (!measure || card.dataset.filled) return;
  card.dataset.filled = '1';
  const header = cardHeader(measure);
  // Compact cards carry the past years' marks in their header line.
  if (state.compactCards) header.querySelector('.card-state').before(pastMarks(measure) ?? '');
  // A compact card shows its measure's text in a line; a click shows it whole (and again cuts it).
  const content = el('p', { class: 'content', title: measure.content, text: measure.content });
  content.addEventListener('click', () => content.classList.toggle('whole'));
  card.append(header, content);
  if (!state.compactCards) card.append(pastMarks(measure) ?? '');
  card.append(grid(measure));
  farObserver ??= new IntersectionObserver((entries) => {
    for (const entry of entries) if (!entry.isIntersecting) undraw(entry.target);
  }, { root: $('report'), rootMargin: KEEP_DRAWN_MARGIN });
  farObserver.observe(card);
}

/**
 * Takes a card far off screen back to its one-element shell, keeping its height so nothing on
 * screen moves. A card with the focus (perhaps composing with the IME) stays drawn; what was typed
 * is in the save queue, not in the card.
 */
function undraw(card) {
  if (!card.dataset.filled || card.contains(document.activeElement)) return;
  farObserver.unobserve(card);
  card.style.minHeight = `${card.offsetHeight}px`;
  card.replaceChildren();
  delete card.dataset.filled;
  observe(card);
}

/**
 * The folded years in one line: each half's mark with its meaning, or the year's note, so the
 * way here stays in sight while the columns go to the year being written.
 */
function pastMarks(measure) {
  const folded = state.report.years.filter(isFolded);
  if (!folded.length) return null;
  const line = el('p', { class: 'past-marks' }, el('span', { class: 'past-label', text: '過去の指標' }));
  for (const year of folded) {
    const cells = measure.cells[year.year] ?? {};
    const item = el('span', { class: 'past-year' }, el('span', { class: 'nowrap', text: year.label }));
    if (cells.year_note) {
      item.append(el('span', { class: 'past-note', text: cells.year_note }));
    } else {
      for (const h of year.halves) {
        const glyph = cells[fieldOf('indicator', h.half)] ?? '';
        const meaning = marks().find((m) => m.glyph === glyph)?.meaning ?? (glyph || '未入力');
        item.append(el('span', { class: 'past-half', role: 'img', title: meaning, 'aria-label': `${year.label} ${h.label}：${meaning}` },
          el('span', { 'aria-hidden': 'true', text: `${h.label} ${glyph || '－'}` })));
      }
    }
    line.append(item);
  }
  return line;
}

/** A year's column heading, broken between the year and the half, never inside either. */
const columnHeading = (year, half, open) => [
  el('span', { class: 'nowrap', text: year.label }), ' ',
  el('span', { class: 'nowrap', text: `${half.label}${open ? '（入力中）' : ''}` })];

function grid(measure) {
  const years = state.report.years.filter((y) => !isFolded(y));
  const head = el('tr', {}, el('th', { class: 'kind', scope: 'col', text: '区分' }));
  for (const year of years) {
    for (const h of year.halves) {
      const open = isOpen(year.year, h.half);
      head.append(el('th', { class: open ? 'open' : h.state, scope: 'col' }, ...columnHeading(year, h, open)));
    }
  }
  const body = el('tbody');
  // Compact cards keep a half's indicator with its status, in one row (進捗).
  const compact = state.compactCards;
  const rows = compact ? ROWS.filter((r) => r.id !== 'indicator') : ROWS;
  for (const row of rows) {
    const label = compact && row.id === 'status' ? '進捗' : row.label;
    const tr = el('tr', {}, el('th', { class: 'kind', scope: 'row', text: label }));
    for (const year of years) {
      const cells = measure.cells[year.year] ?? {};
      if (cells.year_note && row.id === 'target') {
        tr.append(el('td', { colspan: 2, rowspan: rows.length, class: 'note' }, readOnlyCell(measure, year.year, 'year_note', cells.year_note)));
        continue;
      }
      if (cells.year_note) continue;
      if (row.id === 'target') {
        // The year's indicator is labelled, so it is never taken for a half-year's.
        tr.append(el('td', { colspan: 2 }, el('div', { class: 'year-target' },
          cellBody(measure, year.year, 'annual_target', cells, mayWrite(measure, year.year, 'annual_target')),
          el('div', { class: 'annual-mark' },
            el('span', { class: 'annual-mark-label', text: state.report.fieldNames.annual_indicator }),
            cellBody(measure, year.year, 'annual_indicator', cells, mayWrite(measure, year.year, 'annual_indicator'))))));
        continue;
      }
      for (const h of year.halves) {
        const field = fieldOf(row.id, h.half);
        const body = cellBody(measure, year.year, field, cells, mayWrite(measure, year.year, field));
        const td = el('td', { class: isOpen(year.year, h.half) ? 'open' : '' }, body);
        if (compact && row.id === 'status') {
          const mark = fieldOf('indicator', h.half);
          td.replaceChildren(el('div', { class: 'progress' }, cellBody(measure, year.year, mark, cells, mayWrite(measure, year.year, mark)), body));
        }
        tr.append(td);
      }
    }
    body.append(tr);
  }
  // Only the year being written (two halves): they share the width evenly.
  return el('table', { class: years.length > 1 ? 'sheet' : 'sheet few-columns' }, el('thead', {}, head), body);
}

/** A cell's field, or its text when it cannot be written, with the button to its history. */
function cellBody(measure, year, field, cells, editable) {
  const value = cells[field] ?? '';
  const body = !editable ? readOnlyCell(measure, year, field, value)
    : field.endsWith('_indicator') ? markButtons(measure, year, field, value)
      : textCell(measure, year, field, value);
  return el('div', { class: 'cell' }, body, historyButton(measure, year, field));
}

function historyButton(measure, year, field) {
  // Not a tab stop of its own (a card has up to 30 cells): the keyboard has Shift+F10.
  return el('button', { type: 'button', class: 'history-button', tabindex: -1, 'data-history': keyId(measure.id, year, field), 'aria-label': `${cellName(measure, year, field)} の変更履歴`, title: `変更履歴（${HISTORY_KEYS}）`, text: '履歴' });
}

/** Runs of full-width figures with their unit (１０月, １２，０００人), kept on one line. */
const FIGURES = /[０-９0-9][０-９0-9，,．.]*[％%月日人件回円年]?/g;

/** The text with its figures in unbreakable spans: a cell never shows 「１ / ０月」. */
function withFiguresWhole(text) {
  const parts = [];
  let at = 0;
  for (const match of text.matchAll(FIGURES)) {
    if (match[0].length < 2) continue;
    parts.push(text.slice(at, match.index), el('span', { class: 'nowrap', text: match[0] }));
    at = match.index + match[0].length;
  }
  parts.push(text.slice(at));
  return parts;
}

/** Read-only, yet a tab stop: a keyboard or screen-reader user reads it and opens its history. */
function readOnlyCell(measure, year, field, value) {
  return el('div', {
    class: field.endsWith('_indicator') ? 'mark' : 'text', tabindex: 0, role: 'textbox', 'aria-readonly': 'true', 'aria-multiline': 'true',
    'aria-label': cellName(measure, year, field), 'aria-keyshortcuts': HISTORY_KEYS, 'data-key': keyId(measure.id, year, field),
  }, el('span', { class: 'cell-text' }, ...withFiguresWhole(value)));
}

function textCell(measure, year, field, value) {
  const id = keyId(measure.id, year, field);
  const hintId = `hint-${id.replaceAll(':', '-')}`;
  const area = el('textarea', { 'data-key': id, rows: 1, 'aria-label': cellName(measure, year, field), 'aria-describedby': hintId, 'aria-keyshortcuts': HISTORY_KEYS });
  area.value = value;
  const hint = el('div', { class: 'hint', id: hintId, 'data-hint-for': id });
  let composing = false;
  const grow = () => { area.style.height = 'auto'; area.style.height = `${area.scrollHeight + 2}px`; };
  // How much of the printed cell the text fills, asked of the core a moment after the last key
  // (its answer for an older text is dropped).
  let room = null;
  let roomTimer = null;
  const show = () => {
    const list = hints(field, area.value, measure.cells[year] ?? {}, room);
    hint.textContent = list.join('　');
    hint.classList.toggle('warn', list.length > 0);
    area.classList.toggle('over', Boolean(room && !room.fits));
  };
  const refresh = () => {
    show();
    clearTimeout(roomTimer);
    if (!area.value) { room = null; show(); return; }
    roomTimer = setTimeout(async () => {
      const text = area.value;
      const answer = await api.cellRoom(field, text).catch(() => null);
      if (area.value !== text) return;
      room = answer;
      show();
    }, ROOM_DELAY_MS);
  };
  area.addEventListener('compositionstart', () => { composing = true; });
  area.addEventListener('compositionend', () => { composing = false; schedule(measure, year, field, area.value); });
  area.addEventListener('input', (e) => {
    grow();
    refresh();
    // While the IME is composing, the text is not yet what the user means: never save it.
    if (!composing && !e.isComposing) schedule(measure, year, field, area.value);
  });
  area.addEventListener('blur', () => { if (!composing) flush(); });
  requestAnimationFrame(() => { grow(); refresh(); });
  return el('div', { class: 'editable' }, area, hint);
}

/**
 * The indicator as a radio group with one tab stop: the arrow keys move the choice (saved a
 * moment after the last move), 1–4 choose a mark and 0 clears, as do clicks.
 */
function markButtons(measure, year, field, current) {
  const id = keyId(measure.id, year, field);
  const group = el('div', { class: 'marks', role: 'radiogroup', 'data-key': id, 'aria-label': `${cellName(measure, year, field)}（1:☆ 2:○ 3:△ 4:× 0:クリア）`, 'aria-keyshortcuts': HISTORY_KEYS });
  const legend = marks();
  const radios = legend.map((m) => el('button', {
    type: 'button', class: 'mark-button', role: 'radio', 'aria-checked': current === m.glyph ? 'true' : 'false',
    tabindex: -1, 'aria-label': `${m.glyph} ${m.meaning}`, title: `${m.glyph} … ${m.meaning}（${m.key}）`, 'data-glyph': m.glyph, text: m.glyph,
  }));
  (radios.find((r) => r.dataset.glyph === current) ?? radios[0]).tabIndex = 0;
  group.append(...radios);
  if (current && !legend.some((m) => m.glyph === current)) {
    group.append(el('span', { class: 'withheld', text: current }));
  }
  group.append(el('button', { type: 'button', class: 'mark-clear', tabindex: -1, title: 'クリア（0）', 'aria-label': `${cellName(measure, year, field)} をクリア`, 'data-glyph': '', text: 'クリア' }));
  group.addEventListener('click', (e) => {
    const button = e.target.closest('button');
    if (button) saveNow(measure, year, field, button.dataset.glyph);
  });
  group.addEventListener('keydown', (e) => {
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (step || e.key === 'Home' || e.key === 'End') {
      e.preventDefault();
      const at = radios.indexOf(document.activeElement);
      const next = e.key === 'Home' ? 0 : e.key === 'End' ? radios.length - 1 : (Math.max(at, 0) + step + radios.length) % radios.length;
      checkRadio(group, radios[next].dataset.glyph);
      radios[next].focus();
      schedule(measure, year, field, radios[next].dataset.glyph);
      return;
    }
    const m = legend.find((x) => x.key === e.key);
    if (m) {
      e.preventDefault();
      // The chosen radio takes the focus, so the arrows go on from it.
      checkRadio(group, m.glyph);
      radios.find((r) => r.dataset.glyph === m.glyph).focus();
      saveNow(measure, year, field, m.glyph);
    }
    if (e.key === '0' || e.key === 'Delete' || e.key === 'Backspace') { e.preventDefault(); saveNow(measure, year, field, ''); }
  });
  return group;
}

/** Marks `glyph` as the chosen radio and makes it the group's one tab stop. */
function checkRadio(group, glyph) {
  const radios = [...group.querySelectorAll('.mark-button')];
  for (const b of radios) {
    b.setAttribute('aria-checked', b.dataset.glyph === glyph ? 'true' : 'false');
    b.tabIndex = -1;
  }
  const focused = radios.includes(document.activeElement) ? document.activeElement : null;
  (radios.find((b) => b.dataset.glyph === glyph) ?? focused ?? radios[0]).tabIndex = 0;
}

/** Updates what a card shows for one cell after a save or an undo, without redrawing the card. */
export function showCell(measure, year, field, value) {
  const id = keyId(measure.id, year, field);
  for (const node of document.querySelectorAll(`[data-key="${id}"]`)) {
    if (node.classList.contains('marks')) {
      checkRadio(node, value);
    } else if (node.tagName === 'TEXTAREA') {
      if (node.value !== value) { node.value = value; node.dispatchEvent(new Event('input')); }
    } else {
      (node.querySelector('.cell-text') ?? node).replaceChildren(...withFiguresWhole(value));
    }
  }
  // A status hint depends on the indicator beside it.
  const status = document.querySelector(`textarea[data-key="${keyId(measure.id, year, field.replace('_indicator', '_status'))}"]`);
  if (status && field.endsWith('_indicator')) status.dispatchEvent(new Event('input'));
}

/**
 * A read-only cell, once it has the focus, says under itself why it cannot be written, in the
 * words the core would refuse it with (締め切られています, 担当です, 終了しています).
 */
export async function sayWhyNotWritable(cell) {
  const [measureId, year, field] = cell.dataset.key.split(':');
  let reason = null;
  try {
    reason = await api.cellWhyNot({ measureId: Number(measureId), year: Number(year), field }, department());
  } catch { return; }
  if (!reason || !cell.isConnected) return;
  const id = `why-${cell.dataset.key.replaceAll(':', '-')}`;
  const note = document.getElementById(id) ?? el('div', { class: 'why-not', id });
  note.textContent = reason;
  if (!note.isConnected) cell.after(note);
  cell.setAttribute('aria-describedby', id);
}

/**
 * Takes the user to a measure's card and puts the focus in it: on the field `key` when given
 * (else its first field or, read-only, its first cell). Cards are drawn as they scroll near, so
 * the field is looked for until it is there.
 */
export function focusInCard(measureId, key = null) {
  const card = document.getElementById(`measure-${measureId}`);
  if (!card) return;
  card.scrollIntoView({ block: 'start' });
  const started = performance.now();
  const focusField = () => {
    const field = key
      ? card.querySelector(`textarea[data-key="${key}"], .marks[data-key="${key}"] [tabindex="0"], div[data-key="${key}"][tabindex="0"]`)
      : card.querySelector('textarea, .marks [tabindex="0"], [data-key][tabindex="0"]');
    if (field) { field.focus({ preventScroll: true }); field.scrollIntoView({ block: 'nearest' }); return; }
    if (performance.now() - started < 2000) requestAnimationFrame(focusField);
  };
  requestAnimationFrame(focusField);
}

export function setCardState(measure, text, kind) {
  const node = document.querySelector(`#measure-${measure.id} .card-state`);
  if (node) { node.textContent = text; node.dataset.state = kind; }
}
