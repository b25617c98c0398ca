// 「このアプリについて」: the version, where the database, the logs and the backups are (what IT
// copies or sends), and the licences of everything inside.
import * as api from './api.js';
import { ask } from './dialogs.js';
import { $ } from './dom.js';
import { showError } from './feedback.js';

/** Fills the about dialog from the app and opens it; the focus goes back where it was. */
export async function showAbout() {
  const dialog = $('about-dialog');
  if (dialog.open) return;
  let about;
  try {
    about = await api.about();
  } catch (error) { showError(error); return; }
  $('about-version').textContent = about.version;
  $('about-db').textContent = about.dbPath;
  $('about-logs').textContent = about.logFolder;
  $('about-backups').textContent = about.backupFolder;
  $('about-notices').textContent = about.notices;
  const focused = document.activeElement;
  await ask(dialog);
  focused?.focus?.();
}

/** Wires the dialog's own button: the log folder in the file manager. */
export function setUpAbout() {
  $('about-open-logs').addEventListener('click', async () => {
    try { await api.logsOpen(); } catch (error) { showError(error); }
  });
}
