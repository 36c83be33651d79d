// The job list: every job the gateway has read, with its lifecycle state (from job events).

import { el, int, pct } from './format.js';

/** What the evaluator last said about a job, in a few words. */
function evaluation(progress) {
  if (!progress) {
    return '';
  }
  const what = progress.suite ? `${progress.kind} ${progress.suite}` : progress.kind;
  const counting = progress.kind === 'progress' || progress.kind === 'started';
  return counting ? `${what} ${progress.done}/${progress.total}` : what;
}

/** Renders the jobs (JobView list) into {@code table}; a click on a row selects its job. */
export function renderJobs(table, jobs, selectedJob, onSelectJob) {
  table.tBodies[0].replaceChildren(...jobs.map((j) => el('tr', {
    dataset: { job: j.jobId, state: j.state },
    class: j.jobId === selectedJob ? 'selected' : '',
    onclick: () => onSelectJob(j.jobId),
    title: j.reason || 'show job ' + j.jobId,
  },
  el('td', { class: 'job' }, j.jobId),
  el('td', {}, el('span', { class: 'badge state-' + j.state }, j.state)),
  el('td', {}, j.spec?.adapter?.type ?? ''),
  el('td', { class: 'num' }, int(j.step)),
  el('td', { class: 'num' }, int(j.examplesSeen)),
  el('td', { class: 'num' }, int(j.checkpoints)),
  el('td', { class: 'num best' }, j.best ? pct(j.best.average) : ''),
  el('td', { class: 'muted', title: j.lastEvalProgress?.message }, evaluation(j.lastEvalProgress)))));
}
