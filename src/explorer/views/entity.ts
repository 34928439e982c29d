import { follow, request, type LiveState } from '../client.js';
import { h, when } from '../dom.js';
import type { ExplorerEventsQuery, ExplorerPeriodsQuery } from '../gql/graphql.js';
import { EntityQuery, EventPageQuery, LiveEvents, LivePeriods, LiveTrend, PeriodPageQuery } from '../operations.js';
import type { ViewState } from '../state.js';
import { MetricChart } from './chart.js';
import { renderComparison, renderPeriod } from './detail.js';
import { PeriodTable, Timeline, type EventItem, type Gap, type PeriodItem } from './timeline.js';

/** The numeric metrics of a metrics document (the chart's choices). */
function metricKeys(metrics: unknown): string[] {
  if (!metrics || typeof metrics !== 'object') return [];
  return Object.entries(metrics as Record<string, unknown>)
    .filter(([, v]) => typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !Number.isNaN(Number(v))))
    .map(([k]) => k)
    .sort();
}

/** Events read with each period (its events beyond this make the lane read them all by severity). */
const EVENTS_PER_PERIOD = 100;

const LIVE_TEXT: Record<LiveState, string> = { connecting: '◌ connecting…', live: '● live', reconnecting: '◌ reconnecting…', stopped: '✕ not live' };

/**
 * One entity: its timeline (strip, event lane, periods), a metric chart, a period's detail or a
 * comparison, kept live by subscriptions that resume from their last cursor.
 */
export class EntityView {
  /** Every period of the entity, whatever its status (the strip shows some: shownPeriods). */
  private periods = new Map<string, PeriodItem>();
  private events = new Map<string, EventItem>();
  private gaps: Gap[] = [];
  private readonly stops: (() => void)[] = [];
  private readonly chart = new MetricChart();
  private readonly timeline: Timeline;
  private readonly table: PeriodTable;
  private readonly detail = h('section', { class: 'detail', 'aria-live': 'polite' });
  private readonly liveState = h('span', { class: 'live', role: 'status' }, LIVE_TEXT.connecting);
  private chartTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly liveStates = new Map<string, LiveState>();

  constructor(
    private readonly root: HTMLElement,
    private state: ViewState,
    private readonly update: (change: Partial<ViewState>, push?: boolean) => void,
    private readonly report: (error: unknown) => void,
  ) {
    this.timeline = new Timeline((id) => this.update({ period: id, compare: null }, true));
    this.table = new PeriodTable(
      (id) => this.update({ period: id, compare: null }, true),
      (numbers) => this.update({ compare: numbers, period: null }, true),
    );
  }

  async open(): Promise<void> {
    const { entityType: type, entityId: id } = this.state;
    if (!type || !id) return;
    const started = performance.now();
    // Periods and events load at once, beside the entity's own query (the chart's series too when the URL names the metric).
    const data = this.loadTimeline();
    // The chart needs nothing of the timeline: with the metric in the URL, it loads beside it.
    const early = this.state.metric ? this.chart.load(this.state) : null;
    const { entity } = await request(EntityQuery, { type, id });
    if (!entity) {
      this.root.replaceChildren(h('p', {}, 'No such entity. ', h('a', { href: '?' }, 'All entities')));
      return;
    }
    this.gaps = entity.timelineGaps;
    const metrics = metricKeys(entity.lastPeriod?.metrics);
    if (!this.state.metric && metrics.length) this.update({ metric: metrics.includes('total_posts') ? 'total_posts' : metrics[0]! });
    this.root.replaceChildren(
      h('p', {}, h('a', { href: '?' }, '← All entities')),
      h('h1', {}, entity.name),
      h('p', { class: 'facts' }, `${entity.entityType === 'TOPIC' ? 'Topic' : 'Tracked user'} · ${entity.totalPeriods} periods · current period ${entity.currentPeriodNumber ?? '—'} · `, this.liveState),
      this.controls(metrics),
      this.chart.element,
      this.timeline.element,
      this.table.element,
      this.detail,
    );
    performance.mark('explorer:entity');
    const drawn = data.then(() => {
      performance.mark('explorer:data');
      this.redraw();
      performance.mark('explorer:drawn');
    });
    await Promise.all([drawn, early ?? this.chart.load(this.state)]);
    performance.mark('explorer:chart');
    // When the timeline and its chart are drawn: since this view opened, and since the page's navigation began (what a reader waits).
    document.body.dataset.timelineRenderedMs = String(Math.round(performance.now() - started));
    document.body.dataset.timelineSinceNavigationMs = String(Math.round(performance.now()));
    this.live();
    await this.showDetail();
  }

  close(): void {
    this.stops.splice(0).forEach((stop) => stop());
    clearTimeout(this.chartTimer);
  }

  /** The state changed (a period picked, a metric, a bucket): redraw what depends on it. */
  async change(next: ViewState): Promise<void> {
    const before = this.state;
    this.state = next;
    if (before.superseded !== next.superseded) {
      await this.loadTimeline();
      this.redraw();
    } else if (before.period !== next.period) this.redraw();
    if (before.metric !== next.metric || before.bucket !== next.bucket || before.fill !== next.fill) await this.chart.load(next);
    if (before.period !== next.period || String(before.compare) !== String(next.compare)) await this.showDetail();
  }

  private controls(metrics: string[]): HTMLElement {
    const select = (id: string, label: string, options: string[], value: string, key: keyof ViewState) => {
      const element = h('select', { id }, options.map((o) => h('option', { value: o, selected: o === value }, o.toLowerCase() === o ? o : o.toLowerCase())));
      element.addEventListener('change', () => this.update({ [key]: element.value } as Partial<ViewState>));
      return [h('label', { for: id }, label), element];
    };
    const superseded = h('input', { type: 'checkbox', id: 'show-superseded', checked: this.state.superseded });
    superseded.addEventListener('change', () => this.update({ superseded: superseded.checked }));
    return h(
      'form',
      { class: 'controls', onsubmit: (event: Event) => event.preventDefault() },
      ...select('metric', 'Metric', metrics, this.state.metric ?? '', 'metric'),
      ...select('bucket', 'Bucket', ['HOUR', 'DAY', 'WEEK', 'MONTH'], this.state.bucket, 'bucket'),
      ...select('fill', 'Empty buckets', ['NONE', 'NULL', 'PREVIOUS', 'LINEAR'], this.state.fill, 'fill'),
      superseded,
      h('label', { for: 'show-superseded' }, 'Show superseded periods'),
    );
  }

  /**
   * The periods and their events, page by page (pages follow cursors: one sequential chain),
   * beside the pending events. A period with more events than a page carries for it (rare) makes
   * the lane read every event by severity instead, so the lane is always whole.
   */
  private async loadTimeline(): Promise<void> {
    const { entityType: type, entityId: id } = this.state;
    const periods = new Map<string, PeriodItem>();
    let whole = true;
    const pending = this.loadEvents({ pendingOnly: true });
    let after: string | null = null;
    for (;;) {
      const data: ExplorerPeriodsQuery = await request(PeriodPageQuery, { type: type!, id: id!, after, eventLimit: EVENTS_PER_PERIOD });
      const page = data.entity?.periods;
      for (const { node } of page?.edges ?? []) {
        const { events, ...period } = node;
        periods.set(period.id, period);
        for (const event of events) this.events.set(event.id, event as EventItem);
        if (events.length >= EVENTS_PER_PERIOD) whole = false;
      }
      if (!page?.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? null;
    }
    this.periods = periods;
    await pending;
    if (!whole) await Promise.all((['INFO', 'WARNING', 'CRITICAL'] as const).map((severity) => this.loadEvents({ severity: [severity] })));
  }

  /** Every event matching `filter`, page by page. */
  private async loadEvents(filter: { severity?: ('INFO' | 'WARNING' | 'CRITICAL')[]; pendingOnly?: boolean }): Promise<void> {
    const { entityType: type, entityId: id } = this.state;
    let after: string | null = null;
    for (;;) {
      const data: ExplorerEventsQuery = await request(EventPageQuery, { type: type!, id: id!, ...filter, after });
      const page = data.entity?.events;
      for (const edge of page?.edges ?? []) this.events.set(edge.node.id, edge.node as EventItem);
      if (!page?.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor ?? null;
    }
  }

  /** The periods the strip shows: the active ones, and the superseded ones when asked. */
  private shownPeriods(): PeriodItem[] {
    const shown = this.state.superseded ? ['ACTIVE', 'SUPERSEDED'] : ['ACTIVE'];
    return [...this.periods.values()].filter((period) => shown.includes(period.status));
  }

  private sortedPeriods(): PeriodItem[] {
    return this.shownPeriods().sort((a, b) => a.periodNumber - b.periodNumber || a.analyzedAt.localeCompare(b.analyzedAt));
  }

  private redraw(): void {
    const periods = this.sortedPeriods();
    this.timeline.draw(periods, [...this.events.values()], this.gaps, this.state.period);
    this.table.draw(periods, this.state.period);
  }

  private async showDetail(): Promise<void> {
    try {
      if (this.state.compare) await renderComparison(this.detail, this.state.entityType!, this.state.entityId!, this.state.compare);
      else if (this.state.period) await renderPeriod(this.detail, this.state.period, (id) => this.update({ period: id }, true));
      else this.detail.replaceChildren(h('p', { class: 'hint' }, 'Pick a period for its detail, or tick two to compare them.'));
    } catch (error) {
      this.report(error);
    }
  }

  /** Subscriptions for this entity: new periods, event changes, trend refreshes; each resumes from its cursor. */
  private live(): void {
    const { entityType: type, entityId: id } = this.state;
    const state = (name: string) => (value: LiveState, error?: { code: string; message: string }) => {
      this.liveStates.set(name, value);
      const states = [...this.liveStates.values()];
      const shown: LiveState = states.includes('stopped') ? 'stopped' : states.includes('reconnecting') ? 'reconnecting' : states.every((s) => s === 'live') ? 'live' : 'connecting';
      this.liveState.textContent = LIVE_TEXT[shown];
      this.liveState.dataset.state = shown;
      if (error) this.report(error);
    };
    const resync = () => void this.loadTimeline().then(() => (this.redraw(), this.refreshChartSoon()), this.report);
    this.stops.push(
      follow(LivePeriods, { type, id, after: null }, ({ periodCreated: period }) => {
        this.periods.set(period.id, period);
        this.redraw();
        this.refreshChartSoon();
      }, state('periods'), resync),
      follow(LiveEvents, { type, id, after: null }, ({ eventChanged }) => {
        this.events.set(eventChanged.event.id, eventChanged.event as EventItem);
        this.redraw();
      }, state('events'), resync),
      follow(LiveTrend, { after: null }, ({ metricsTrendRefreshed }) => {
        this.liveState.title = `trend refreshed ${when(metricsTrendRefreshed.refreshedAt)}`;
      }, state('trend')),
    );
  }

  private refreshChartSoon(): void {
    clearTimeout(this.chartTimer);
    this.chartTimer = setTimeout(() => void this.chart.load(this.state).catch(this.report), 300);
  }
}
