// The files people pass on, as the file dialogs offer them: their own extensions (which the
// installed app opens on a double-click) and `.json`, the name of earlier versions' files.
export const PACKAGE_FILES = { name: '提出用パッケージ', extensions: ['shinchoku-package', 'json'] };
export const SUBMISSION_FILES = { name: '提出ファイル', extensions: ['shinchoku-submission', 'json'] };
