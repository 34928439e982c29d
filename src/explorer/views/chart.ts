import uPlot from 'uplot';
import { request } from '../client.js';
import { h, number, when } from '../dom.js';
import { SeriesQuery } from '../operations.js';
import type { ViewState } from '../state.js';

type Bucket = { start: string; end: string; value?: number | null; periodCount: number; filled: boolean };
type Anomaly = { periodId: string; periodNumber: number; metricValue: number; zScore: number; period: { periodEnd: string } };

/**
 * A metric over time (metricSeries: the bucket and fill the reader picks), anomalies marked on
 * it; with its data as a table (for people who do not read charts, and for tests).
 */
export class MetricChart {
  readonly element: HTMLElement;
  private readonly plotBox = h('div', { class: 'plot', role: 'img', 'aria-label': 'Metric chart' });
  private readonly table = h('table', { class: 'chart-data' });
  private plot: uPlot | null = null;

  constructor() {
    this.element = h('section', { class: 'chart', 'aria-labelledby': 'chart-title' }, h('h2', { id: 'chart-title' }, 'Metric'), this.plotBox, h('details', {}, h('summary', {}, 'Chart data'), this.table));
  }

  /** The series and its anomalies (each with its period's end, where it is drawn), in one request. */
  async load(state: ViewState): Promise<void> {
    if (!state.entityType || !state.entityId || !state.metric) return;
    const data = await request(SeriesQuery, { type: state.entityType, id: state.entityId, metric: state.metric, bucket: state.bucket, fill: state.fill });
    this.draw(state.metric, data.entity?.metricSeries ?? [], data.entity?.anomalies ?? []);
  }

  private draw(metric: string, buckets: Bucket[], anomalies: Anomaly[]): void {
    (this.element.querySelector('h2') as HTMLElement).textContent = `Metric: ${metric}`;
    const xs = buckets.map((b) => Date.parse(b.start) / 1000);
    const values = buckets.map((b) => b.value ?? null);
    // An anomaly is drawn on the bucket its period ends in.
    const marks: (number | null)[] = buckets.map(() => null);
    const marked: { anomaly: Anomaly; bucket: Bucket | undefined }[] = [];
    for (const anomaly of anomalies) {
      const at = Date.parse(anomaly.period.periodEnd);
      const index = buckets.findIndex((b) => Date.parse(b.start) < at && at <= Date.parse(b.end));
      if (index >= 0) marks[index] = anomaly.metricValue;
      marked.push({ anomaly, bucket: buckets[index] });
    }
    // The table is written when the reader opens it (a long series is a thousand rows).
    const details = this.table.parentElement as HTMLDetailsElement;
    const write = () => this.writeTable(metric, buckets, marked);
    details.ontoggle = () => details.open && write();
    if (details.open) write();
    else this.table.replaceChildren();
    const width = Math.max(320, this.plotBox.clientWidth || 800);
    const options: uPlot.Options = {
      width,
      height: 220,
      series: [{}, { label: metric, stroke: '#2563eb', width: 2, spanGaps: false }, { label: 'anomaly', stroke: '#dc2626', width: 0, points: { show: true, size: 9, fill: '#dc2626' } }],
      axes: [{}, { size: 60 }],
      legend: { show: true },
    };
    this.plot?.destroy();
    this.plot = new uPlot(options, [xs, values, marks] as uPlot.AlignedData, this.plotBox);
  }

  private writeTable(metric: string, buckets: Bucket[], marked: { anomaly: Anomaly; bucket: Bucket | undefined }[]): void {
    this.table.replaceChildren(
      h('caption', {}, `${metric} per bucket`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Bucket start'), h('th', { scope: 'col' }, 'Value'), h('th', { scope: 'col' }, 'Periods'), h('th', { scope: 'col' }, 'Filled'))),
      h('tbody', {}, buckets.map((b) => h('tr', { 'data-start': b.start }, h('td', {}, when(b.start)), h('td', { class: 'num', 'data-value': b.value ?? '' }, number(b.value)), h('td', { class: 'num' }, b.periodCount), h('td', {}, b.filled ? 'yes' : 'no')))),
      h('tfoot', {}, marked.map(({ anomaly, bucket }) => h('tr', { class: 'anomaly' }, h('td', {}, `anomaly: period ${anomaly.periodNumber}`), h('td', { class: 'num' }, number(anomaly.metricValue)), h('td', {}, `z = ${number(anomaly.zScore)}`), h('td', {}, bucket ? when(bucket.start) : '—')))),
    );
  }
}
