// The selected job's charts, drawn with Apache ECharts from the echarts WebJar (served by Quarkus at
// /webjars/echarts/..., the version resolved by quarkus-web-dependency-locator). If the library cannot
// load, the tables keep working and the chart areas say why.

const ECHARTS = '../webjars/echarts/dist/echarts.esm.min.js';
// Module order inside a decoder layer, for the heatmap's rows.
const MODULE_ORDER = ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'];
const HEAT_COLORS = ['#f7fbff', '#c6dbef', '#6baed6', '#2171b5', '#08306b'];
const LABELLED_CELLS = 320;

/** "3.q_proj" sorted by layer, then by the module's place in the layer. */
export function moduleOrder(a, b) {
  const [la, ma] = a.split('.');
  const [lb, mb] = b.split('.');
  return Number(la) - Number(lb) || MODULE_ORDER.indexOf(ma) - MODULE_ORDER.indexOf(mb) || a.localeCompare(b);
}

function placeholder(text) {
  return {
    title: { text, left: 'center', top: 'middle', textStyle: { color: '#8a8f98', fontSize: 13, fontWeight: 'normal' } },
    xAxis: { show: false }, yAxis: { show: false }, series: [],
  };
}

export class JobCharts {
  /** @param elements {loss, accuracy, routing, routingStep} the chart containers */
  constructor(elements) {
    this.elements = elements;
    this.charts = null;
    this.ready = import(ECHARTS).then((echarts) => {
      this.echarts = echarts;
      this.charts = {
        loss: echarts.init(elements.loss),
        accuracy: echarts.init(elements.accuracy),
        routing: echarts.init(elements.routing),
      };
      window.addEventListener('resize', () => Object.values(this.charts).forEach((c) => c.resize()));
      return true;
    }).catch((e) => {
      console.error('moelora: echarts did not load', e);
      for (const key of ['loss', 'accuracy', 'routing']) {
        elements[key].textContent = 'Charts unavailable: the echarts library did not load (' + e.message + ').';
        elements[key].classList.add('unavailable');
      }
      return false;
    });
  }

  /** Blank charts with a message (no job selected, or loading). */
  clear(message) {
    if (!this.charts) {
      return;
    }
    for (const chart of Object.values(this.charts)) {
      chart.setOption(placeholder(message), { notMerge: true });
    }
    this.elements.loss.dataset.points = '0';
    this.elements.accuracy.dataset.points = '0';
    this.elements.accuracy.dataset.suites = '0';
    this.elements.routing.dataset.modules = '0';
    this.elements.routingStep.textContent = '';
  }

  /** Loss curves of TrainingMetrics sorted by step: total and LM loss (left axis), contrastive (right). */
  showLoss(metrics) {
    if (!this.charts) {
      return;
    }
    this.elements.loss.dataset.points = String(metrics.length);
    if (metrics.length === 0) {
      this.charts.loss.setOption(placeholder('No training metrics yet'), { notMerge: true });
      return;
    }
    const symbols = metrics.length < 40;
    const line = (name, pick, axis = 0) => ({
      name, type: 'line', yAxisIndex: axis, showSymbol: symbols, symbolSize: 5, sampling: 'lttb',
      data: metrics.map((m) => [m.step, pick(m)]),
    });
    this.charts.loss.setOption({
      animation: false,
      color: ['#1f5fbf', '#7aa6e8', '#d9480f'],
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(4) : v) },
      grid: { left: 48, right: 56, top: 34, bottom: 42 },
      xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 26, min: 'dataMin', max: 'dataMax' },
      yAxis: [
        { type: 'value', name: 'loss (nats)', scale: true },
        { type: 'value', name: 'contrastive', scale: true, splitLine: { show: false } },
      ],
      dataZoom: [{ type: 'inside' }],
      series: [
        line('loss', (m) => m.loss),
        line('LM loss', (m) => m.lmLoss),
        line('contrastive loss', (m) => m.contrastiveLoss, 1),
      ],
    }, { notMerge: true });
  }

  /** Accuracy per suite (and the overall mean) over the job's checkpoints (CheckpointView list). */
  showAccuracy(checkpoints) {
    if (!this.charts) {
      return;
    }
    const scored = checkpoints.filter((c) => Object.keys(c.scores || {}).length > 0);
    this.elements.accuracy.dataset.points = String(scored.length);
    if (scored.length === 0) {
      this.elements.accuracy.dataset.suites = '0';
      this.charts.accuracy.setOption(placeholder('No evaluated checkpoints yet'), { notMerge: true });
      return;
    }
    const suites = [...new Set(scored.flatMap((c) => Object.keys(c.scores)))].sort((a, b) => a.localeCompare(b));
    this.elements.accuracy.dataset.suites = String(suites.length);
    const point = (c, value) => ({ value: [c.checkpoint.step, value], checkpoint: c.checkpoint });
    const series = suites.map((suite) => ({
      name: suite, type: 'line', showSymbol: true, symbolSize: 6, connectNulls: true,
      data: scored.filter((c) => suite in c.scores).map((c) => point(c, c.scores[suite])),
    }));
    if (suites.length > 1) {
      series.push({
        name: 'overall', type: 'line', showSymbol: true, symbolSize: 6, lineStyle: { type: 'dashed', width: 2 },
        itemStyle: { color: '#333' },
        data: scored.filter((c) => c.averages?.overall !== undefined).map((c) => point(c, c.averages.overall)),
      });
    }
    this.charts.accuracy.setOption({
      animation: false,
      legend: { top: 0, type: 'scroll' },
      tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? v.toFixed(2) + ' %' : v) },
      grid: { left: 48, right: 24, top: 34, bottom: 42 },
      // From step 0: a job's first checkpoint is the untrained adapter, i.e. the base model's score.
      xAxis: { type: 'value', name: 'step', nameLocation: 'middle', nameGap: 26, min: 0, max: 'dataMax' },
      yAxis: { type: 'value', name: 'accuracy %', min: 0, max: 100 },
      series,
    }, { notMerge: true });
  }

  /**
   * The routing heatmap of one TrainingMetrics: a row per "layer.module", a column per expert, each
   * cell the share of tokens whose top-1 expert it is.
   */
  showRouting(metrics) {
    if (!this.charts) {
      return;
    }
    const load = metrics?.expertLoad || {};
    const modules = Object.keys(load).sort(moduleOrder);
    this.elements.routing.dataset.modules = String(modules.length);
    this.elements.routingStep.textContent = metrics ? `(step ${metrics.step})` : '';
    const height = Math.max(220, modules.length * 22 + 120);
    if (this.elements.routing.style.height !== height + 'px') {
      this.elements.routing.style.height = height + 'px';
      this.charts.routing.resize();
    }
    if (modules.length === 0) {
      const text = metrics ? 'No expert routing in these metrics (a LoRA job has no experts)'
        : 'No training metrics yet';
      this.charts.routing.setOption(placeholder(text), { notMerge: true });
      return;
    }
    const experts = Math.max(...modules.map((m) => load[m].length));
    const data = [];
    let max = 0;
    modules.forEach((module, row) => load[module].forEach((share, expert) => {
      data.push([expert, row, share]);
      max = Math.max(max, share);
    }));
    const entropy = metrics.routingEntropy || {};
    const encode = this.echarts.format.encodeHTML;
    this.charts.routing.setOption({
      animation: false,
      tooltip: {
        position: 'top',
        formatter: (p) => {
          const module = modules[p.value[1]];
          const h = entropy[module];
          return `${encode(module)} · expert ${p.value[0]}: ${(p.value[2] * 100).toFixed(1)} % of tokens`
            + (typeof h === 'number' ? `<br>routing entropy ${h.toFixed(3)} nats` : '');
        },
      },
      grid: { left: 90, right: 24, top: 10, bottom: 92 },
      xAxis: {
        type: 'category', name: 'expert', nameLocation: 'middle', nameGap: 24,
        data: Array.from({ length: experts }, (_, i) => String(i)), splitArea: { show: true },
      },
      yAxis: { type: 'category', data: modules, inverse: true, splitArea: { show: true } },
      visualMap: {
        min: 0, max: Math.max(max, 1 / experts), calculable: true, orient: 'horizontal', left: 'center', bottom: 0,
        itemHeight: 160, precision: 2, inRange: { color: HEAT_COLORS },
      },
      series: [{
        name: 'expert load', type: 'heatmap', data,
        label: { show: data.length <= LABELLED_CELLS, formatter: (p) => (p.value[2] * 100).toFixed(0) },
        emphasis: { itemStyle: { borderColor: '#000', borderWidth: 1 } },
      }],
    }, { notMerge: true });
  }
}
