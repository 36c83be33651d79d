// The leaderboard table: one row per checkpoint of the selected board, sortable by any column.

import { compact, el, int, pct, shortId } from './format.js';

const FIXED_COLUMNS = [
  { key: 'rank', label: '#', num: true, value: (r) => r.rank },
  { key: 'jobId', label: 'Job', value: (r) => r.jobId, cls: 'job' },
  { key: 'checkpointId', label: 'Checkpoint', value: (r) => r.checkpointId, show: shortId, title: true },
  { key: 'step', label: 'Step', num: true, value: (r) => r.step, show: int },
  { key: 'examplesSeen', label: 'Examples', num: true, value: (r) => r.examplesSeen, show: int },
  { key: 'adapterType', label: 'Adapter', value: (r) => r.adapterType },
  { key: 'trainableParams', label: 'Params', num: true, value: (r) => r.trainableParams, show: compact },
];

/** The columns of a board: the fixed ones, its average, then one per suite any row has a score for. */
export function columns(board, rows) {
  const suites = [...new Set(rows.flatMap((r) => Object.keys(r.scores || {})))].sort((a, b) => a.localeCompare(b));
  return [
    ...FIXED_COLUMNS,
    { key: 'average', label: `${board} avg`, num: true, value: (r) => r.average, show: pct, cls: 'average' },
    ...suites
      .filter((s) => s !== board) // a suite's own board: its average is that score
      .map((s) => ({ key: 'suite:' + s, label: s, num: true, value: (r) => r.scores?.[s], show: pct, cls: 'score' })),
  ];
}

/** {@code rows} sorted by a column; absent values last whatever the direction. */
export function sortRows(rows, cols, sort) {
  const col = cols.find((c) => c.key === sort.key) || cols[0];
  const tie = (a, b) => a.rank - b.rank;
  return [...rows].sort((a, b) => {
    const x = col.value(a);
    const y = col.value(b);
    if (x === undefined || x === null) {
      return y === undefined || y === null ? tie(a, b) : 1;
    }
    if (y === undefined || y === null) {
      return -1;
    }
    const order = col.num ? x - y : String(x).localeCompare(String(y));
    return order !== 0 ? order * sort.dir : tie(a, b);
  });
}

/**
 * Renders {@code view} (a BoardView or LeaderboardUpdate: board, rows) into {@code table}.
 * {@code fresh} holds checkpoint ids to highlight as just changed.
 */
export function renderLeaderboard(table, view, sort, fresh, { onSort, onSelectJob, selectedJob }) {
  const rows = view.rows || [];
  const cols = columns(view.board, rows);
  const head = table.tHead.rows[0];
  head.replaceChildren(...cols.map((c) => {
    const active = sort.key === c.key;
    return el('th', {
      class: [c.num ? 'num' : '', active ? 'sorted' : ''].join(' ').trim(),
      'aria-sort': active ? (sort.dir > 0 ? 'ascending' : 'descending') : 'none',
      scope: 'col',
    }, el('button', { type: 'button', onclick: () => onSort(c.key), title: 'sort by ' + c.label },
      c.label, active ? (sort.dir > 0 ? ' ▲' : ' ▼') : ''));
  }));
  const body = table.tBodies[0];
  body.replaceChildren(...sortRows(rows, cols, sort).map((r) => el('tr', {
    dataset: { job: r.jobId, checkpoint: r.checkpointId },
    class: [fresh.has(r.checkpointId) ? 'fresh' : '', r.jobId === selectedJob ? 'selected' : ''].join(' ').trim(),
    onclick: () => onSelectJob(r.jobId),
    title: 'show job ' + r.jobId,
  }, cols.map((c) => {
    const value = c.value(r);
    return el('td', {
      class: [c.num ? 'num' : '', c.cls || ''].join(' ').trim(),
      title: c.title ? value : undefined,
    }, c.show ? c.show(value) : value ?? '');
  }))));
}
