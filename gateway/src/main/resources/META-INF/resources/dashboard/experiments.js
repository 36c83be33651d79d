// An experiment's jobs side by side (GET /api/experiments/{id}): one table with what each job trains
// and its latest accuracy per suite, and one chart of each job's mean accuracy over the examples it
// has seen. The jobs of an experiment are fed the same examples in the same order, so examples seen
// is the axis on which their points compare.

import { getJson, seg } from './api.js';
import { compact, el, int, pct } from './format.js';

const ECHARTS = '../webjars/echarts/dist/echarts.esm.min.js';

/** "moelora 4×2 top-2" or "lora r8": the adapter in a few characters. */
export function adapterLabel(job) {
  return job.adapterType === 'lora' ? `lora r${job.rank}`
    : `${job.adapterType} ${job.experts}×${job.rank} top-${job.topK}`;
}

function placeholder(text) {
  return {
    title: { text, left: 'center', top: 'middle', textStyle: { color: '#8a8f98', fontSize: 13, fontWeight: 'normal' } },
    xAxis: { show: false }, yAxis: { show: false }, series: [],
  };
}

export class ExperimentPanel {
  /**
   * @param elements {select, table, empty, chart} the panel's controls
   * @param onChange called with the selected experiment id (or null) when the user picks one
   */
  constructor(elements, onChange) {
    this.elements = elements;
    this.onChange = onChange;
    this.selected = null;
    this.known = new Set(); // experiments some job names, as last listed
    this.chart = null;
    this.ready = import(ECHARTS).then((echarts) => {
      this.chart = echarts.init(elements.chart);
      window.addEventListener('resize', () => this.chart.resize());
    }).catch((e) => {
      elements.chart.textContent = 'Chart unavailable: the echarts library did not load (' + e.message + ').';
    });
    elements.select.addEventListener('change', (e) => {
      this.selected = e.target.value || null;
      this.onChange(this.selected);
      this.load();
    });
  }

  /** Reloads the list of experiments, then the selected one (the first when none is selected). */
  async loadList() {
    const list = await getJson('experiments');
    if (!this.selected && list.length > 0) {
      this.selected = list[0].experiment;
      this.onChange(this.selected);
    }
    const ids = list.map((x) => x.experiment);
    this.known = new Set(ids);
    if (this.selected && !ids.includes(this.selected)) {
      ids.push(this.selected);
    }
    this.elements.select.replaceChildren(...ids.map((id) => el('option', { value: id, selected: id === this.selected },
      id)));
    this.elements.empty.hidden = ids.length > 0;
    await this.load();
  }

  /** Reloads the selected experiment's view. */
  async load() {
    const id = this.selected;
    // One named in the address may have no job yet: nothing to ask for (and no 404 in the console).
    if (!id || !this.known.has(id)) {
      this.render(null);
      return;
    }
    let view = null;
    try {
      view = await getJson(`experiments/${seg(id)}`);
    } catch (e) {
      if (e.status !== 404) {
        throw e;
      }
    }
    if (id === this.selected) {
      this.render(view);
    }
  }

  render(view) {
    const table = this.elements.table;
    const suites = view?.suites || [];
    const jobs = view?.jobs || [];
    table.dataset.jobs = String(jobs.length);
    table.tHead.rows[0].replaceChildren(
      ...['Job', 'State', 'Adapter', 'Total rank', 'β contrastive', 'Params', 'Examples', 'Latest ckpt step']
        .map((h, i) => el('th', { class: i >= 3 ? 'num' : '' }, h)),
      ...suites.map((s) => el('th', { class: 'num' }, s)),
      el('th', { class: 'num' }, 'Average'));
    table.tBodies[0].replaceChildren(...jobs.map((j) => el('tr', { dataset: { job: j.jobId } },
      el('td', { class: 'job' }, j.jobId),
      el('td', {}, el('span', { class: 'badge state-' + j.state }, j.state)),
      el('td', {}, adapterLabel(j)),
      el('td', { class: 'num' }, int(j.totalRank)),
      el('td', { class: 'num' }, j.adapterType === 'lora' ? '' : String(j.contrastiveWeight)),
      el('td', { class: 'num', title: int(j.trainableParams) }, j.trainableParams ? compact(j.trainableParams) : ''),
      el('td', { class: 'num' }, int(j.examplesSeen)),
      el('td', { class: 'num' }, j.latestCheckpointStep >= 0 ? int(j.latestCheckpointStep) : ''),
      ...suites.map((s) => el('td', { class: 'num' }, pct(j.latest?.scores?.[s]))),
      el('td', { class: 'num best' }, pct(j.latest?.average)))));
    this.ready.then(() => this.showChart(jobs));
  }

  showChart(jobs) {
    if (!this.chart) {
      return;
    }
    const withPoints = jobs.filter((j) => j.curve.length > 0);
    this.elements.chart.dataset.series = String(withPoints.length);
    if (withPoints.length === 0) {
      this.chart.setOption(placeholder('No evaluated checkpoints yet'), { notMerge: true });
      return;
    }
    this.chart.setOption({
      animation: false,
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(2) + ' %' : v) },
      grid: { left: 48, right: 24, top: 34, bottom: 42 },
      xAxis: { type: 'value', name: 'examples seen', nameLocation: 'middle', nameGap: 26, min: 0, max: 'dataMax' },
      yAxis: { type: 'value', name: 'mean accuracy %', min: 0, max: 100 },
      series: withPoints.map((j) => ({
        name: `${j.jobId} (${adapterLabel(j)})`, type: 'line', showSymbol: true, symbolSize: 6,
        data: j.curve.filter((p) => typeof p.average === 'number').map((p) => [p.examplesSeen, p.average]),
      })),
    }, { notMerge: true });
  }
}
