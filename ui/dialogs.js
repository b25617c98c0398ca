// Dialogs: one way to open a modal dialog and learn how it was closed, and the native file
// dialogs (through the dialog plugin's public API).
import { invoke } from './api.js';

/**
 * Opens `dialog` (unless it is open already) and resolves to the value of the button that
 * closed it. Escape, the close button or any other way out resolves to 'cancel': the value of
 * an earlier OK is cleared first, so a cancel never repeats it.
 */
export async function ask(dialog) {
  dialog.returnValue = '';
  if (!dialog.open) dialog.showModal();
  const value = await new Promise((resolve) => dialog.addEventListener('close', () => resolve(dialog.returnValue), { once: true }));
  return value || 'cancel';
}

/**
 * Asks before an action that destroys or replaces data: `question` says what will happen in the
 * user's words, `action` names the button that does it. The safe choice, やめる, has the focus,
 * and Escape cancels. Resolves to true only for the action's button.
 */
export async function confirmAction(question, action) {
  const dialog = document.getElementById('confirm-dialog');
  document.getElementById('confirm-text').textContent = question;
  document.getElementById('confirm-ok').textContent = action;
  const answer = ask(dialog);
  document.getElementById('confirm-cancel').focus();
  return (await answer) === 'ok';
}

/**
 * The answer of a native file dialog. The end-to-end tests cannot click in a native dialog:
 * when the app runs under them, the answer is scripted (`test_dialog_answer`, set only by an
 * environment variable of the test run) and everything else still goes through the window.
 */
async function answer(native) {
  const scripted = await invoke('test_dialog_answer');
  return scripted ? scripted.answer : native();
}

/** Files or a folder to open: a path, a list of paths with `multiple`, or null for a cancel. */
export const chooseToOpen = (options) => answer(() => window.__TAURI__.dialog.open(options));

/** Where to save: a path, or null for a cancel. */
export const chooseToSave = (defaultPath, filters) =>
  answer(() => window.__TAURI__.dialog.save({ defaultPath, filters }));
