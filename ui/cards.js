// One card per measure, laid out like the printed sheet: 区分 rows × half-year columns.
// Cards are drawn when they come near the screen, so 2,000 measures open as fast as 20.
import { MARKS, ROWS, fieldOf, hints, keyId, writable } from './model.js';

const el = (tag, attrs = {}, ...children) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
};

/**
 * Draws the shells of every card at once (cheap) and fills each one when it scrolls near.
 * `ctx` gives the report, who edits, and the save function.
 */
export function renderReport(container, ctx) {
  container.replaceChildren();
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting) {
        observer.unobserve(entry.target);
        fillCard(entry.target, ctx);
      }
    }
  }, { rootMargin: '800px 0px' });
  let lastNo = null;
  const fragment = document.createDocumentFragment();
  for (const measure of ctx.report.measures) {
    if (measure.no !== lastNo) {
      fragment.append(el('h2', { class: 'pledge', id: `pledge-${measure.no}`, 'data-no': measure.no, text: `No.${measure.no}　${measure.pledge.split('\n')[0]}` }));
      lastNo = measure.no;
    }
    const card = el('section', { class: 'card', id: `measure-${measure.id}`, 'data-id': measure.id });
    card.append(cardHeader(measure, ctx));
    fragment.append(card);
    observer.observe(card);
  }
  container.append(fragment);
  return observer;
}

function cardHeader(measure, ctx) {
  const own = ctx.canEdit(measure);
  const caption = measure.pledge.includes('\n') ? measure.pledge.split('\n').slice(1).join(' ') : '';
  return el('header', { class: 'card-head' },
    el('span', { class: 'no', text: `No.${measure.no}` }),
    el('span', { class: 'dept', text: measure.department }),
    caption ? el('span', { class: 'caption', text: caption }) : null,
    el('span', { class: 'date', text: `目標期日 ${measure.targetDate || '—'}` }),
    own ? null : el('span', { class: 'readonly-badge', text: '閲覧のみ' }),
    ctx.isCoordinator() ? el('span', { class: 'measure-actions' },
      el('button', { type: 'button', 'data-measure-action': 'up', title: '上へ移動', text: '↑' }),
      el('button', { type: 'button', 'data-measure-action': 'down', title: '下へ移動', text: '↓' }),
      el('button', { type: 'button', 'data-measure-action': 'edit', text: '編集' })) : null,
    el('span', { class: 'card-state', 'data-state': '' }),
  );
}

function fillCard(card, ctx) {
  const measure = ctx.measureById.get(Number(card.dataset.id));
  if (!measure || card.dataset.filled) return;
  card.dataset.filled = '1';
  card.append(el('p', { class: 'content', text: measure.content }));
  card.append(grid(measure, ctx));
}

function grid(measure, ctx) {
  const { years } = ctx.report;
  const table = el('table', { class: 'sheet' });
  const head = el('tr', {}, el('th', { class: 'kind', text: '区分' }));
  for (const year of years) {
    for (const h of year.halves) {
      const open = ctx.isOpen(year.year, h.half);
      head.append(el('th', { class: open ? 'open' : h.state, text: `${year.label} ${h.label}${open ? '（入力中）' : h.state === 'closed' ? '' : ''}` }));
    }
  }
  table.append(el('thead', {}, head));
  const body = el('tbody');
  const own = ctx.canEdit(measure);
  for (const row of ROWS) {
    const tr = el('tr', {}, el('th', { class: 'kind', text: row.label }));
    for (const year of years) {
      const cells = measure.cells[year.year] ?? {};
      if (cells.year_note && row.id === 'target') {
        tr.append(el('td', { colspan: 2, rowspan: ROWS.length, class: 'note', text: cells.year_note }));
        continue;
      }
      if (cells.year_note) continue;
      if (row.id === 'target') {
        const field = 'annual_target';
        const editable = own && writable(year);
        const td = el('td', { colspan: 2 });
        td.append(textCell(measure, year.year, field, cells, editable, ctx));
        const mark = cells.annual_indicator ?? '';
        td.append(el('div', { class: 'annual-mark', title: '年度目標の指標' }, editable
          ? markButtons(measure, year.year, 'annual_indicator', mark, ctx)
          : el('span', { class: 'mark', text: mark })));
        tr.append(td);
        continue;
      }
      for (const h of year.halves) {
        const field = fieldOf(row.id, h.half);
        const editable = own && writable(year, h.half);
        const td = el('td', { class: ctx.isOpen(year.year, h.half) ? 'open' : '' });
        if (row.id === 'indicator') {
          td.append(editable
            ? markButtons(measure, year.year, field, cells[field] ?? '', ctx)
            : el('span', { class: 'mark', 'data-key': keyId(measure.id, year.year, field), text: cells[field] ?? '' }));
        } else {
          td.append(textCell(measure, year.year, field, cells, editable, ctx));
        }
        tr.append(td);
      }
    }
    body.append(tr);
  }
  table.append(body);
  return table;
}

function textCell(measure, year, field, cells, editable, ctx) {
  const value = cells[field] ?? '';
  const id = keyId(measure.id, year, field);
  if (!editable) {
    return el('div', { class: 'text', 'data-key': id, text: value });
  }
  const area = el('textarea', { 'data-key': id, rows: 2, 'aria-label': `No.${measure.no} ${measure.department} ${field}` });
  area.value = value;
  const hint = el('div', { class: 'hint', 'data-hint-for': id });
  const wrap = el('div', { class: 'editable' }, area, hint);
  let composing = false;
  const grow = () => { area.style.height = 'auto'; area.style.height = `${area.scrollHeight + 2}px`; };
  const refresh = () => {
    const list = hints(field, area.value, measure.cells[year] ?? {}, ctx.report.capacities[field]);
    hint.textContent = list.join('　');
    hint.classList.toggle('warn', list.length > 0);
    area.classList.toggle('over', list.some((h) => h.includes('字')));
  };
  area.addEventListener('compositionstart', () => { composing = true; });
  area.addEventListener('compositionend', () => { composing = false; ctx.schedule(measure, year, field, area.value); });
  area.addEventListener('input', (e) => {
    grow();
    refresh();
    // While the IME is composing, the text is not yet what the user means: never save it.
    if (!composing && !e.isComposing) ctx.schedule(measure, year, field, area.value);
  });
  area.addEventListener('blur', () => { if (!composing) ctx.flush(); });
  requestAnimationFrame(() => { grow(); refresh(); });
  return wrap;
}

function markButtons(measure, year, field, current, ctx) {
  const id = keyId(measure.id, year, field);
  const group = el('div', { class: 'marks', role: 'radiogroup', 'data-key': id, tabindex: 0, 'aria-label': '指標（1:☆ 2:○ 3:△ 4:× 0:クリア）' });
  const choose = (glyph) => ctx.saveNow(measure, year, field, glyph);
  for (const m of MARKS) {
    group.append(el('button', { type: 'button', class: 'mark-button', role: 'radio', 'aria-checked': current === m.glyph ? 'true' : 'false', title: `${m.glyph} … ${m.meaning}（${m.key}）`, 'data-glyph': m.glyph, text: m.glyph }));
  }
  if (current && !MARKS.some((m) => m.glyph === current)) {
    group.append(el('span', { class: 'withheld', text: current }));
  }
  group.append(el('button', { type: 'button', class: 'mark-clear', title: 'クリア（0）', 'data-glyph': '', text: 'クリア' }));
  group.addEventListener('click', (e) => {
    const button = e.target.closest('button');
    if (button) choose(button.dataset.glyph);
  });
  group.addEventListener('keydown', (e) => {
    const m = MARKS.find((x) => x.key === e.key);
    if (m) { e.preventDefault(); choose(m.glyph); }
    if (e.key === '0' || e.key === 'Delete' || e.key === 'Backspace') { e.preventDefault(); choose(''); }
  });
  return group;
}

/** Updates what a card shows for one cell after a save or an undo, without redrawing the card. */
export function showCell(measure, year, field, value) {
  const id = keyId(measure.id, year, field);
  for (const node of document.querySelectorAll(`[data-key="${id}"]`)) {
    if (node.classList.contains('marks')) {
      for (const b of node.querySelectorAll('.mark-button')) b.setAttribute('aria-checked', b.dataset.glyph === value ? 'true' : 'false');
    } else if (node.tagName === 'TEXTAREA') {
      if (node.value !== value) { node.value = value; node.dispatchEvent(new Event('input')); }
    } else {
      node.textContent = value;
    }
  }
  // A status hint depends on the indicator beside it.
  const status = document.querySelector(`textarea[data-key="${keyId(measure.id, year, field.replace('_indicator', '_status'))}"]`);
  if (status && field.endsWith('_indicator')) status.dispatchEvent(new Event('input'));
}

export function setCardState(measure, text, kind) {
  const node = document.querySelector(`#measure-${measure.id} .card-state`);
  if (node) { node.textContent = text; node.dataset.state = kind; }
}
