// The report's vocabulary on the UI side, and the rules the UI shows as hints.
import { state } from './state.js';

/**
 * The indicator's four values in the legend's order, as the core sends them in the report
 * view, each with the key that chooses it (1–4).
 */
export const marks = () => state.report.marks.map((m, i) => ({ ...m, key: String(i + 1) }));

export const ROWS = [
  { id: 'target', label: '年度目標' },
  { id: 'plan', label: '計画(短期目標)' },
  { id: 'indicator', label: '進捗 指標' },
  { id: 'status', label: '進捗 状況' },
];

/** The field code of a row in a half ('h2_status'), or of the year for 年度目標. */
export const fieldOf = (row, half) =>
  row === 'target' ? 'annual_target' : `${half.toLowerCase()}_${row}`;

export const keyId = (measureId, year, field) => `${measureId}:${year}:${field}`;

/** From this share of its printed lines, a field says how full it is. */
const ROOM_SHOWN_FROM = 0.8;

/**
 * Hints shown under a cell. `room` is how much of the printed cell the text fills, as the core
 * measures it for the save (`cell_room`): past it the save is refused, and the hint says so
 * first.
 */
export function hints(field, value, cells, room) {
  const out = [];
  if (room && !room.fits) {
    out.push(`印刷すると ${room.lines} 行になり、欄に収まる ${room.maxLines} 行（全角で約 ${room.maxChars} 字）を超えるため保存できません。短くしてください`);
  } else if (room && room.lines >= room.maxLines * ROOM_SHOWN_FROM) {
    out.push(`印刷 ${room.lines} / ${room.maxLines} 行（全角で約 ${room.maxChars} 字まで）`);
  }
  if (field.endsWith('_status') && !value.trim()) {
    const mark = cells[field.replace('_status', '_indicator')] ?? '';
    if (mark === '△' || mark === '×') out.push(`${mark} のときは遅れの理由を状況に書いてください`);
  }
  return out;
}
