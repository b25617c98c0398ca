// What the window knows: the report as drawn, who the user is, and the rules of who edits what.

const IDENTITY_KEY = 'shinchoku.identity';
const PAST_YEARS_KEY = 'shinchoku.showPastYears';
const VIEW_KEY = 'shinchoku.view';
const COMPACT_KEY = 'shinchoku.compactCards';

export const state = {
  /** The report view from `report_view`. */
  report: null,
  measureById: new Map(),
  /** { role: 'department' | 'coordinator', department?: string } */
  identity: JSON.parse(localStorage.getItem(IDENTITY_KEY) ?? 'null'),
  /** The department a department database (made from a package) answers for, or null. */
  packageDepartment: null,
  /** Whether the cards show past fiscal years in full, or only their marks (the default). */
  showPastYears: localStorage.getItem(PAST_YEARS_KEY) === 'true',
  /**
   * Cards shown a line a cell, so a screen holds three or more; the field with the focus opens
   * whole. On unless the user turns it off.
   */
  compactCards: localStorage.getItem(COMPACT_KEY) !== 'false',
  /** 'cards' to write, 'survey' (一覧) to look over the whole report a measure a line. */
  view: localStorage.getItem(VIEW_KEY) === 'survey' ? 'survey' : 'cards',
  /** Process start (ms since the epoch), from the app. */
  startedAtMs: 0,
};

export function rememberIdentity(identity) {
  state.identity = identity;
  localStorage.setItem(IDENTITY_KEY, JSON.stringify(identity));
}

export function rememberCompactCards(compact) {
  state.compactCards = compact;
  localStorage.setItem(COMPACT_KEY, String(compact));
}

export function rememberView(view) {
  state.view = view;
  localStorage.setItem(VIEW_KEY, view);
}

export function rememberShowPastYears(show) {
  state.showPastYears = show;
  localStorage.setItem(PAST_YEARS_KEY, String(show));
}

/**
 * Whether a fiscal year is folded on the cards: a year before the one being written (or, with
 * no open period, before the last year) shows only its marks unless the user asks for all.
 */
export function isFolded(year) {
  if (state.showPastYears) return false;
  const { years, openPeriod } = state.report;
  const current = openPeriod?.year ?? years[years.length - 1]?.year;
  return year.year < current;
}

/** The user's department, or null for the coordinator. */
export const department = () => (state.identity?.role === 'department' ? state.identity.department : null);

export const isCoordinator = () => state.identity?.role === 'coordinator';

/** The coordinator's own database (not a department's made from a package). */
export const isCoordinatorDatabase = () => isCoordinator() && !state.packageDepartment;

/**
 * Whether the user may write the cell `field` of `year` in `measure`: the core's one rule,
 * answered in the report view for the user's role (a read-only report has none).
 */
export const mayWrite = (measure, year, field) => Boolean(measure.writable[year]?.includes(field));

/** Whether the user may write anything in `measure` (else its card says 閲覧のみ). */
export const writesAny = (measure) => Object.keys(measure.writable).length > 0;

export const isOpen = (year, half) =>
  state.report.openPeriod?.year === year && state.report.openPeriod?.half === half;

/** A cell's full name for screen readers and titles: No.3 企画課 令和６年度 下半期 進捗状況. */
export function cellName(measure, year, field) {
  const label = state.report.years.find((y) => y.year === year)?.label ?? `${year}年度`;
  return `No.${measure.no} ${measure.department} ${label} ${state.report.fieldNames[field]}`;
}
