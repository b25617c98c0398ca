// What the window knows: the report as drawn, who the user is, and the rules of who edits what.

const IDENTITY_KEY = 'shinchoku.identity';

export const state = {
  /** The report view from `report_view`. */
  report: null,
  measureById: new Map(),
  /** { role: 'department' | 'coordinator', department?: string } */
  identity: JSON.parse(localStorage.getItem(IDENTITY_KEY) ?? 'null'),
  /** The department a department database (made from a package) answers for, or null. */
  packageDepartment: null,
  /** Process start (ms since the epoch), from the app. */
  startedAtMs: 0,
};

export function rememberIdentity(identity) {
  state.identity = identity;
  localStorage.setItem(IDENTITY_KEY, JSON.stringify(identity));
}

/** The user's department, or null for the coordinator. */
export const department = () => (state.identity?.role === 'department' ? state.identity.department : null);

export const isCoordinator = () => state.identity?.role === 'coordinator';

/** The coordinator's own database (not a department's made from a package). */
export const isCoordinatorDatabase = () => isCoordinator() && !state.packageDepartment;

export const canEdit = (measure) => isCoordinator() || measure.department === department();

export const isOpen = (year, half) =>
  state.report.openPeriod?.year === year && state.report.openPeriod?.half === half;

/** A cell's full name for screen readers and titles: No.3 企画課 令和６年度 下半期 進捗状況. */
export function cellName(measure, year, field) {
  const label = state.report.years.find((y) => y.year === year)?.label ?? `${year}年度`;
  return `No.${measure.no} ${measure.department} ${label} ${state.report.fieldNames[field]}`;
}
