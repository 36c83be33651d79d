// The dashboard: leaderboard, job list, an experiment's jobs side by side and the selected job's
// charts, loaded over REST and kept live from the gateway's event stream (/api/stream).

import { ApiError, getJson, saveToken, seg, token } from './api.js';
import { JobCharts } from './charts.js';
import { ExperimentPanel } from './experiments.js';
import { openFeed } from './feed.js';
import { debounce, el } from './format.js';
import { renderJobs } from './jobs.js';
import { renderLeaderboard } from './leaderboard.js';

const $ = (id) => document.getElementById(id);
const FIXED_BOARDS = ['overall', 'math', 'commonsense'];
const BOARD_ROWS = 100;
const METRICS_KEPT = 10000; // the gateway keeps as many per job
const ASCENDING_FIRST = new Set(['rank', 'jobId', 'checkpointId', 'adapterType']);
const STATUS_TEXT = {
  connecting: 'connecting…', open: 'live', reconnecting: 'reconnecting…', unauthorized: 'token needed',
};

const place = new URLSearchParams(location.hash.slice(1));
const state = {
  board: place.get('board') || 'overall',
  bestPerJob: false,
  boards: FIXED_BOARDS,
  view: { board: 'overall', rows: [], totalRows: 0 },
  sort: { key: 'rank', dir: 1 },
  fresh: new Set(),
  jobs: [],
  selected: place.get('job'),
  experiment: place.get('experiment'),
  metrics: new Map(), // step -> TrainingMetrics of the selected job
  checkpoints: [], // CheckpointView of the selected job
};

const charts = new JobCharts({
  loss: $('loss-chart'), accuracy: $('accuracy-chart'), routing: $('routing-chart'), routingStep: $('routing-step'),
});

const experiments = new ExperimentPanel({
  select: $('experiment'), table: $('experiment-jobs'), empty: $('experiments-empty'), chart: $('experiment-chart'),
}, (id) => {
  state.experiment = id;
  remember();
});
experiments.selected = state.experiment;

/** Calls fn at most once per ms (the first call waits ms, later ones join it). */
function throttle(fn, ms) {
  let pending = false;
  return () => {
    if (!pending) {
      pending = true;
      setTimeout(() => {
        pending = false;
        fn();
      }, ms);
    }
  };
}

function remember() {
  const p = new URLSearchParams();
  p.set('board', state.board);
  if (state.selected) {
    p.set('job', state.selected);
  }
  if (state.experiment) {
    p.set('experiment', state.experiment);
  }
  history.replaceState(null, '', '#' + p);
}

function notice(text) {
  const box = $('notice');
  box.textContent = text || '';
  box.hidden = !text;
}

// Runs a load; an error becomes the notice instead of an unhandled rejection.
async function guarded(load) {
  try {
    await load();
    notice('');
  } catch (e) {
    if (e instanceof ApiError && (e.status === 401 || e.status === 403)) {
      notice(token() ? 'The gateway refused the API token (' + e.status + '): enter a valid one above.'
        : 'This gateway protects reads: enter its API token above.');
    } else {
      notice('Cannot load from the gateway: ' + e.message);
    }
  }
}

// ---- leaderboard

function renderBoardSelect() {
  const select = $('board');
  const boards = state.boards.includes(state.board) ? state.boards : [...state.boards, state.board];
  const option = (b) => el('option', { value: b, selected: b === state.board }, b);
  select.replaceChildren(
    el('optgroup', { label: 'Averages' }, boards.filter((b) => FIXED_BOARDS.includes(b)).map(option)),
    el('optgroup', { label: 'Suites' }, boards.filter((b) => !FIXED_BOARDS.includes(b)).map(option)));
}

function renderBoard() {
  const view = state.view;
  renderLeaderboard($('leaderboard'), view, state.sort, state.fresh, {
    onSort: sortBy, onSelectJob: (id) => select(id), selectedJob: state.selected,
  });
  const rows = view.rows.length;
  $('leaderboard-empty').hidden = rows > 0;
  $('board-count').textContent = rows === 0 ? ''
    : view.totalRows > rows ? `top ${rows} of ${view.totalRows} checkpoints`
      : `${rows} checkpoint${rows === 1 ? '' : 's'}`;
}

function setView(view) {
  if (view.board !== state.board) {
    return; // an answer for a board no longer shown
  }
  const before = new Map(state.view.board === view.board
    ? state.view.rows.map((r) => [r.checkpointId, r.average]) : []);
  state.fresh = new Set(view.rows.filter((r) => before.size > 0 && before.get(r.checkpointId) !== r.average)
    .map((r) => r.checkpointId));
  state.view = { board: view.board, rows: view.rows, totalRows: view.totalRows ?? view.rows.length };
  renderBoard();
}

function sortBy(key) {
  state.sort = state.sort.key === key ? { key, dir: -state.sort.dir }
    : { key, dir: ASCENDING_FIRST.has(key) ? 1 : -1 };
  renderBoard();
}

async function loadBoards() {
  state.boards = await getJson('leaderboard/boards');
  renderBoardSelect();
}

async function loadBoard() {
  const board = state.board;
  try {
    setView(await getJson('leaderboard', { board, limit: BOARD_ROWS, bestPerJob: state.bestPerJob || undefined }));
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && board !== 'overall') {
      state.board = 'overall'; // a suite board disappears when its results are gone
      renderBoardSelect();
      remember();
      return loadBoard();
    }
    throw e;
  }
}

// ---- jobs

const renderJobList = throttle(() => {
  renderJobs($('jobs'), state.jobs, state.selected, (id) => select(id));
  $('jobs-empty').hidden = state.jobs.length > 0;
  $('job-count').textContent = state.jobs.length ? `${state.jobs.length}` : '';
  const job = state.jobs.find((j) => j.jobId === state.selected);
  const badge = $('selected-state');
  badge.hidden = !job;
  if (job) {
    badge.textContent = job.state;
    badge.className = 'badge state-' + job.state;
  }
  $('selected-reason').textContent = job?.reason || '';
}, 100);

async function loadJobs() {
  state.jobs = await getJson('jobs');
  if (!state.selected && state.jobs.length > 0) {
    // The most recently active job, until the user picks one.
    const latest = state.jobs.filter((j) => j.state !== 'deleted')
      .sort((a, b) => String(b.updatedAt).localeCompare(String(a.updatedAt)))[0];
    if (latest) {
      select(latest.jobId);
    }
  }
  renderJobList();
}

function select(jobId) {
  if (jobId === state.selected && state.metrics.size > 0) {
    return;
  }
  state.selected = jobId;
  state.metrics = new Map();
  state.checkpoints = [];
  $('selected-job').textContent = jobId;
  remember();
  renderJobList();
  renderBoard();
  charts.ready.then(() => charts.clear('Loading…'));
  guarded(loadJobDetail);
}

// ---- the selected job's charts

const renderCharts = throttle(() => {
  const metrics = [...state.metrics.values()].sort((a, b) => a.step - b.step);
  for (const old of metrics.splice(0, Math.max(0, metrics.length - METRICS_KEPT))) {
    state.metrics.delete(old.step);
  }
  charts.showLoss(metrics);
  charts.showAccuracy(state.checkpoints);
  charts.showRouting(metrics[metrics.length - 1]);
}, 250);

async function loadCheckpoints() {
  const jobId = state.selected;
  if (!jobId) {
    return;
  }
  const checkpoints = await getJson(`jobs/${seg(jobId)}/checkpoints`);
  if (jobId === state.selected) {
    state.checkpoints = checkpoints;
    renderCharts();
  }
}

async function loadJobDetail() {
  const jobId = state.selected;
  if (!jobId) {
    return;
  }
  const [metrics, checkpoints] = await Promise.all([
    getJson(`jobs/${seg(jobId)}/metrics`, { limit: METRICS_KEPT }),
    getJson(`jobs/${seg(jobId)}/checkpoints`),
  ]);
  if (jobId !== state.selected) {
    return;
  }
  // Events may have arrived while this loaded: merge by step.
  for (const m of metrics) {
    if (!state.metrics.has(m.step)) {
      state.metrics.set(m.step, m);
    }
  }
  state.checkpoints = checkpoints;
  await charts.ready;
  renderCharts();
}

// ---- loading and live updates

const reloadJobs = debounce(() => guarded(loadJobs), 250);
const reloadBoard = debounce(() => guarded(loadBoard), 250);
const reloadBoards = debounce(() => guarded(loadBoards), 1000);
const reloadCheckpoints = debounce(() => guarded(loadCheckpoints), 250);
const reloadExperiments = debounce(() => guarded(() => experiments.loadList()), 500);

function loadAll() {
  guarded(async () => {
    await Promise.all([loadBoards(), loadBoard(), loadJobs(), experiments.loadList()]);
    if (state.selected) {
      await loadJobDetail();
    }
  });
}

function onEvent(name, data) {
  switch (name) {
    case 'job':
    case 'job-deleted':
    case 'job-event':
      reloadJobs();
      reloadExperiments();
      break;
    case 'checkpoint':
      reloadJobs();
      reloadExperiments();
      if (data.jobId === state.selected) {
        reloadCheckpoints();
      }
      break;
    case 'metrics': {
      const job = state.jobs.find((j) => j.jobId === data.jobId);
      if (job && data.step > job.step) {
        job.step = data.step;
        renderJobList();
      }
      if (data.jobId === state.selected) {
        state.metrics.set(data.step, data);
        renderCharts();
      }
      break;
    }
    case 'eval-result':
      reloadJobs();
      reloadBoard();
      reloadExperiments();
      if (!state.boards.includes(data.suite)) {
        reloadBoards();
      }
      if (data.jobId === state.selected) {
        reloadCheckpoints();
      }
      break;
    case 'eval-progress': {
      const job = state.jobs.find((j) => j.jobId === data.jobId);
      if (job) {
        job.lastEvalProgress = data;
        renderJobList();
      }
      break;
    }
    case 'leaderboard': {
      // The board's full state (top rows) as the gateway published it.
      if (data.board === state.board && !state.bestPerJob) {
        // Its rows are capped like ours; a longer board's total comes with the next REST load.
        const longer = state.view.totalRows > BOARD_ROWS ? state.view.totalRows : 0;
        const rows = data.rows.slice(0, BOARD_ROWS);
        setView({ board: data.board, rows, totalRows: Math.max(rows.length, longer) });
      }
      if (!state.boards.includes(data.board)) {
        reloadBoards();
      }
      break;
    }
    case 'reset':
      loadAll(); // resuming was impossible: start over from the REST state
      break;
    default:
      break;
  }
}

let feed = null;
let everOpen = false;

function onFeedState(s, detail) {
  const status = $('stream-status');
  status.dataset.state = s;
  status.textContent = STATUS_TEXT[s] || s;
  status.title = detail || 'live updates from /api/stream';
  document.body.dataset.stream = s;
  if (s === 'open') {
    // Reload once per (re)connection: anything that happened while the stream was down shows.
    if (everOpen) {
      loadAll();
    }
    everOpen = true;
  }
  if (s === 'unauthorized') {
    notice(token() ? 'The gateway refused the API token for live updates: enter a valid one above.'
      : 'This gateway protects reads: enter its API token above.');
  }
}

function connect() {
  feed?.close();
  everOpen = false;
  document.body.dataset.feed = token() ? 'fetch' : 'eventsource';
  feed = openFeed('stream', { onEvent, onState: onFeedState });
}

// ---- controls

$('board').addEventListener('change', (e) => {
  state.board = e.target.value;
  state.view = { board: state.board, rows: [], totalRows: 0 };
  if (state.sort.key.startsWith('suite:')) {
    state.sort = { key: 'rank', dir: 1 };
  }
  remember();
  renderBoard();
  guarded(loadBoard);
});
$('best-per-job').addEventListener('change', (e) => {
  state.bestPerJob = e.target.checked;
  guarded(loadBoard);
});
$('token').value = token();
$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  saveToken($('token').value.trim());
  connect();
  loadAll();
});

renderBoardSelect();
renderBoard();
if (state.selected) {
  $('selected-job').textContent = state.selected;
}
charts.ready.then(() => {
  if (!state.selected) {
    charts.clear('Select a job');
  }
});
connect();
loadAll();
