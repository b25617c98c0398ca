// What the window tells the user: the save state in the top bar, a toast for a failure, and
// the field a failure is about, highlighted. The error codes the commands send decide which.
import { $ } from './dom.js';

/** The user's message of a failed call, whatever shape the error has. */
export function messageOf(error) {
  if (error && typeof error === 'object' && 'message' in error) return error.message;
  return String(error);
}

/**
 * The save state in the top bar. While a dialog is open the top bar is dimmed under its
 * backdrop: a result ('saved') is shown in the dialog as well, where the user is looking.
 */
export function setSaveState(text, kind) {
  const node = $('save-state');
  node.textContent = text;
  node.dataset.state = kind;
  if (kind === 'saved' && topDialog()) toast(text, 'ok');
}

/** The modal dialog drawn on top, if one is open. */
function topDialog() {
  const open = [...document.querySelectorAll('dialog[open]')];
  return open[open.length - 1] ?? null;
}

/**
 * A message over everything: inside the topmost open dialog (a modal dialog and what it holds
 * are drawn above every backdrop), in the page otherwise. `kind` is 'error' or 'ok'.
 */
export function toast(text, kind = 'error') {
  const node = $('toast');
  const host = topDialog() ?? document.body;
  if (node.parentElement !== host) host.append(node);
  node.textContent = text;
  node.dataset.kind = kind;
  node.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { node.hidden = true; }, 8000);
}

// A dialog that closes takes the message with it: it goes back to the page, still shown.
document.addEventListener('close', (event) => {
  const node = $('toast');
  if (event.target instanceof HTMLDialogElement && event.target.contains(node)) {
    (topDialog() ?? document.body).append(node);
  }
}, true);

/**
 * Error codes whose `field` is a cell of the report (`measureId:year:field`); the others name a
 * form field (`data-field`) of the dialog that is open.
 */
const CELL_CODES = new Set(['period_closed', 'not_owner', 'bad_indicator', 'too_long', 'edit']);

/**
 * Errors that mean the window shows something no longer true (the period was closed, the
 * measure moved to another department meanwhile): the report is read again.
 */
const STALE_CODES = new Set(['period_closed', 'not_owner']);

/**
 * Says why an action failed, highlights the field it is about, and tells if the view is stale.
 * `origin` is the field the user acted on, preferred when several share the `data-field` named.
 */
export function showError(error, origin = null) {
  toast(messageOf(error));
  const code = error?.code;
  const field = error?.field;
  if (field) {
    const node = CELL_CODES.has(code)
      ? document.querySelector(`[data-key="${CSS.escape(field)}"]`)
      : origin?.dataset.field === field ? origin
        : document.querySelector(`dialog[open] [data-field="${CSS.escape(field)}"]`);
    if (node) {
      node.classList.add('error');
      node.setAttribute('aria-invalid', 'true');
      node.scrollIntoView({ block: 'center' });
      if (!CELL_CODES.has(code)) node.focus?.();
      setTimeout(() => { node.classList.remove('error'); node.removeAttribute('aria-invalid'); }, 4000);
    }
  }
  return { stale: STALE_CODES.has(code) };
}
