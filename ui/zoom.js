// The window's zoom: Ctrl + and Ctrl − make everything larger or smaller, Ctrl 0 goes back to
// 100 %; the choice is kept for the user (in the window's own storage), so it is there at the
// next start. The whole page is scaled, as a browser's zoom does, so nothing is laid out twice.

const ZOOM_KEY = 'shinchoku.zoom';
/** The steps, as a browser offers them. */
const STEPS = [0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2];

let zoom = Number(localStorage.getItem(ZOOM_KEY)) || 1;

function apply() {
  // At 100 % nothing is set: a zoom, even of 1, costs WebKit a scaled layer for the page.
  document.documentElement.style.zoom = zoom === 1 ? '' : String(zoom);
}

/** Moves the zoom one step (`direction` 1 or −1), or back to 100 % (0); resolves to the percent. */
function step(direction) {
  const at = STEPS.indexOf(zoom);
  const now = at === -1 ? STEPS.indexOf(1) : at;
  zoom = direction === 0 ? 1 : STEPS[Math.min(STEPS.length - 1, Math.max(0, now + direction))];
  localStorage.setItem(ZOOM_KEY, String(zoom));
  apply();
  return Math.round(zoom * 100);
}

/**
 * Applies the kept zoom and listens for the keys: Ctrl with +, ; (where + is on a Japanese
 * keyboard) or =, with − or -, and with 0. `said(text)` tells the user the new size.
 */
export function setUpZoom(said) {
  apply();
  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.altKey) return;
    const direction = { '+': 1, ';': 1, '=': 1, '-': -1, '−': -1, 0: 0 }[e.key];
    if (direction === undefined) return;
    e.preventDefault();
    said(`表示の大きさ ${step(direction)}%`);
  });
}
