// Every call into the Rust side goes through here, by Tauri's public JavaScript API
// (`withGlobalTauri`). Results are view types made for the window (camelCase); a failure
// arrives as {code, message, field}: see feedback.js for what each code does.

export const invoke = (command, args) => window.__TAURI__.core.invoke(command, args);

export const reportStatus = () => invoke('report_status');
export const reportCreate = (withSample) => invoke('report_create', { withSample });
export const reportCreateFromPackage = (pkg) => invoke('report_create_from_package', { package: pkg });
/** The report as `department` (a name) sees it, or with none as the coordinator. */
export const reportView = (department) => invoke('report_view', { department: department ?? null });
/** The term at a glance: {periods, pledges: [{no, title, state, measures: [...]}], attention}. */
export const reportOverview = () => invoke('report_overview');

/** `key` is {measureId, year, field}; resolves to the stored value. */
/** `undo`: the value is put back by 元に戻す (the history says so). */
export const cellSet = (key, value, department, undo = false) =>
  invoke('cell_set', { key, value, department: department ?? null, undo });
/** Why the user may not write the cell `key` ({measureId, year, field}), or null. */
export const cellWhyNot = (key, department) => invoke('cell_why_not', { key, department: department ?? null });
/** How much of its printed cell `text` fills in `field`: {chars, maxChars, lines, maxLines, fits}. */
export const cellRoom = (field, text) => invoke('cell_room', { field, text });
/** Resolves to {label, entries}, newest first. */
export const cellHistory = (key) => invoke('cell_history', { key });
export const cellRestore = (changeId, department) =>
  invoke('cell_restore', { changeId, department: department ?? null });

export const reportExport = (path) => invoke('report_export', { path });
export const publishSite = (folder) => invoke('publish_site', { folder });
/** Resolves to {version, dbPath, logFolder, backupFolder, notices}. */
export const about = () => invoke('about');
export const logsOpen = () => invoke('logs_open');
export const windowClose = () => invoke('window_close');
/** The package or submission the app was asked to open, once: {path, kind} or null. */
export const openedFile = () => invoke('opened_file');

export const packagesWrite = (folder) => invoke('packages_write', { folder });
export const submissionWrite = (path, approver, approvedOn) =>
  invoke('submission_write', { path, approver, approvedOn });
export const submissionDepartment = () => invoke('submission_department');
export const packageUpdate = (path, discardUnsent) => invoke('package_update', { path, discardUnsent });
export const submissionsMerge = (paths) => invoke('submissions_merge', { paths });
export const submissionBoard = () => invoke('submission_board');
/** Shows a file the app wrote in the file manager. */
export const fileReveal = (path) => invoke('file_reveal', { path });
export const conflictsList = () => invoke('conflicts_list');
export const conflictResolve = (key, take) => invoke('conflict_resolve', { key, take });

export const importPreview = (path, department) => invoke('import_preview', { path, department: department ?? null });
export const importApply = (path, department) => invoke('import_apply', { path, department: department ?? null });

// The coordinator's master data and periods.
export const periodOpen = (year, half, deadline) => invoke('period_open', { year, half, deadline });
export const periodClose = (year, half) => invoke('period_close', { year, half });
export const periodReopen = (year, half) => invoke('period_reopen', { year, half });
export const periodStartNext = (deadline) => invoke('period_start_next', { deadline });
export const periodDeadlineSet = (year, half, deadline) => invoke('period_deadline_set', { year, half, deadline });
export const halfMonthsSet = (year, half, months) => invoke('half_months_set', { year, half, months });
export const fiscalYearAdd = (year, h1Months, h2Months) => invoke('fiscal_year_add', { year, h1Months, h2Months });
export const departmentAdd = (name) => invoke('department_add', { name });
export const departmentRename = (name, newName) => invoke('department_rename', { name, newName });
export const pledgePut = (number, title) => invoke('pledge_put', { number, title });
export const measureAdd = (measure) => invoke('measure_add', { measure });
export const measureEdit = (id, measure) => invoke('measure_edit', { id, measure });
export const measureMove = (id, step) => invoke('measure_move', { id, step });
export const departmentMerge = (into, departments) => invoke('department_merge', { into, departments });
export const measureRetire = (id, lastYear) => invoke('measure_retire', { id, lastYear });
/** `parts`: [{name, measures: [id]}]; measures not named stay. */
export const departmentSplit = (department, parts) => invoke('department_split', { department, parts });
/** Resolves to [{atLabel, kindLabel, text}], oldest first. */
export const ownershipHistory = () => invoke('ownership_history');

// Terms: a new mayor's term, and the past terms' read-only copies.
/** Resolves to {archive, archivedYearsLabel, archivedMeasures, firstYearLabel}. */
export const termStart = (title, firstYear) => invoke('term_start', { title, firstYear });
/** Resolves to [{path, title, yearsLabel, measures, archivedAtLabel}]. */
export const termsList = () => invoke('terms_list');
export const termExport = (archive, path) => invoke('term_export', { archive, path });
