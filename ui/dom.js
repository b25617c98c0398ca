// The two DOM helpers every module uses: find by id, and make an element.

export const $ = (id) => document.getElementById(id);

/**
 * An element with attributes and children. `class` sets the class name, `text` the text;
 * `true` makes an empty attribute, and `false`, `null` or `undefined` leaves it out.
 */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? '' : v);
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

/** A table row of text cells. */
export const row = (...texts) => el('tr', {}, ...texts.map((t) => el('td', { text: t ?? '' })));

/** A date as city staff write it, whatever the machine's locale: 2026年11月29日. */
export const dateLabel = (date) =>
  new Intl.DateTimeFormat('ja-JP', { year: 'numeric', month: 'long', day: 'numeric' }).format(date);
