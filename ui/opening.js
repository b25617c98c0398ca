// A package or a submission opened by a double-click on the file (at start, or while the window
// is open: the second launch hands the file over and the app says `file-opened`). A department
// takes its next package; the coordinator merges a submission. Anything else is named and left.
import * as api from './api.js';
import { showError } from './feedback.js';
import { flush } from './saving.js';
import { isCoordinatorDatabase, state } from './state.js';
import { mergeOpenedSubmission, takeNextPackage } from './submissions.js';

const nameOf = (path) => path.split(/[\\/]/).pop();

/** Handles the file the app was asked to open, if any. */
export async function openPassedFile(status, reload) {
  const file = await api.openedFile();
  if (!file) return;
  await flush();
  if (file.kind === 'package' && state.packageDepartment && !state.report.readOnly) {
    if (await takeNextPackage(status, file.path)) await reload();
  } else if (file.kind === 'submission' && isCoordinatorDatabase() && !state.report.readOnly) {
    await mergeOpenedSubmission(file.path);
  } else if (file.kind === 'package') {
    showError({ message: `${nameOf(file.path)} は担当課の提出用パッケージです。担当課のパソコンの shinchoku で開いてください` });
  } else if (file.kind === 'submission') {
    showError({ message: `${nameOf(file.path)} は提出ファイルです。取りまとめ担当の shinchoku で開いてください` });
  } else {
    showError({ message: `${nameOf(file.path)} は shinchoku で開けるファイルではありません（提出用パッケージ .shinchoku-package か提出ファイル .shinchoku-submission を開いてください）` });
  }
}

/** Calls `open` for each file handed over by a second launch. */
export function listenForPassedFiles(open) {
  window.__TAURI__.event.listen('file-opened', open);
}
