import { h, SEVERITY, svg, when } from '../dom.js';

export interface PeriodItem {
  id: string;
  periodNumber: number;
  status: string;
  periodStart: string;
  periodEnd: string;
  analyzedAt: string;
  summaryShort?: string | null;
}

export interface EventItem {
  id: string;
  title: string;
  eventType: string;
  severity: keyof typeof SEVERITY;
  firstDetectedAt: string;
  resolvedAt?: string | null;
}

export interface Gap {
  start: string;
  end: string;
  hours: number;
}

const WIDTH = 1000;
const ROW = 22;

/**
 * The timeline as a strip (each period's window; gaps marked; superseded periods in a row of
 * their own) and the events as a lane (detected → resolved, open ones running to now, by
 * severity: colour, shape and text). Both are fixed-size drawings redrawn in place, so live
 * rows never move the page. Periods and events are keyboard-focusable and named.
 */
export class Timeline {
  readonly element: HTMLElement;
  private readonly strip = svg('svg', { class: 'strip', viewBox: `0 0 ${WIDTH} ${ROW * 2 + 10}`, role: 'group', 'aria-label': 'Periods on the timeline' });
  private readonly lane = svg('svg', { class: 'lane', role: 'list', 'aria-label': 'Events' });
  private readonly laneBox = h('div', { class: 'lane-box' }, this.lane);

  constructor(private readonly onSelect: (periodId: string) => void) {
    this.element = h('section', { class: 'timeline', 'aria-labelledby': 'timeline-title' }, h('h2', { id: 'timeline-title' }, 'Timeline'), this.strip, h('h3', {}, 'Events'), this.laneBox);
  }

  draw(periods: PeriodItem[], events: EventItem[], gaps: Gap[], selected: string | null, now = Date.now()): void {
    // The span of what happened: open events run to its end (marked open), not to a far-off now.
    const times = [
      ...periods.flatMap((p) => [Date.parse(p.periodStart), Date.parse(p.periodEnd)]),
      ...events.flatMap((e) => [Date.parse(e.firstDetectedAt), ...(e.resolvedAt ? [Date.parse(e.resolvedAt)] : [])]),
    ];
    if (times.length === 0) {
      this.strip.replaceChildren(svg('text', { x: 8, y: 20 }, document.createTextNode('No periods yet.')));
      this.lane.replaceChildren();
      return;
    }
    const [lo, hi] = [Math.min(...times), Math.min(now, Math.max(...times))];
    const x = (t: number) => ((t - lo) / Math.max(1, hi - lo)) * (WIDTH - 2) + 1;
    const strip: SVGElement[] = [];
    for (const gap of gaps) {
      const [a, b] = [x(Date.parse(gap.start)), x(Date.parse(gap.end))];
      strip.push(svg('rect', { class: 'gap', x: a, y: 2, width: Math.max(1, b - a), height: ROW, 'aria-label': `gap of ${gap.hours.toFixed(1)} hours` }, svg('title', {}, document.createTextNode(`gap: ${when(gap.start)} → ${when(gap.end)} (${gap.hours.toFixed(1)} h)`))));
    }
    for (const period of periods) {
      const [a, b] = [x(Date.parse(period.periodStart)), x(Date.parse(period.periodEnd))];
      const active = period.status === 'ACTIVE';
      const label = `Period ${period.periodNumber}${active ? '' : ` (${period.status.toLowerCase()})`}: ${when(period.periodStart)} → ${when(period.periodEnd)}`;
      const rect = svg(
        'rect',
        { class: `period ${active ? 'active' : 'superseded'}${period.id === selected ? ' selected' : ''}`, x: a, y: active ? 2 : ROW + 6, width: Math.max(1.5, b - a - 0.5), height: ROW, tabindex: 0, role: 'button', 'aria-label': label, 'data-period': period.id },
        svg('title', {}, document.createTextNode(label)),
      );
      rect.addEventListener('click', () => this.onSelect(period.id));
      rect.addEventListener('keydown', (event) => (event.key === 'Enter' || event.key === ' ') && (event.preventDefault(), this.onSelect(period.id)));
      strip.push(rect);
    }
    strip.push(
      svg('text', { class: 'axis', x: 2, y: ROW * 2 + 6 }, document.createTextNode(when(new Date(lo).toISOString()))),
      svg('text', { class: 'axis', x: WIDTH - 2, y: ROW * 2 + 6, 'text-anchor': 'end' }, document.createTextNode(when(new Date(hi).toISOString()))),
    );
    this.strip.replaceChildren(...strip);

    const height = Math.max(ROW, events.length * 14 + 4);
    this.lane.setAttribute('viewBox', `0 0 ${WIDTH} ${height}`);
    this.lane.setAttribute('height', String(height));
    const sorted = [...events].sort((a, b) => a.firstDetectedAt.localeCompare(b.firstDetectedAt) || a.id.localeCompare(b.id));
    this.lane.replaceChildren(
      ...sorted.map((event, i) => {
        const severity = SEVERITY[event.severity] ?? SEVERITY.INFO;
        const [a, b] = [x(Date.parse(event.firstDetectedAt)), x(event.resolvedAt ? Math.min(hi, Date.parse(event.resolvedAt)) : hi)];
        const label = `${severity.label}: ${event.title}, detected ${when(event.firstDetectedAt)}, ${event.resolvedAt ? `resolved ${when(event.resolvedAt)}` : 'open'}`;
        return svg(
          'g',
          { class: `event ${severity.className}${event.resolvedAt ? '' : ' open'}`, role: 'listitem', tabindex: 0, 'aria-label': label, 'data-event': event.id },
          svg('title', {}, document.createTextNode(label)),
          svg('rect', { x: a, y: i * 14 + 3, width: Math.max(2, b - a), height: 8 }),
          svg('text', { x: Math.max(0, a - 1), y: i * 14 + 11, 'text-anchor': 'end', 'aria-hidden': 'true' }, document.createTextNode(severity.mark)),
        );
      }),
    );
  }
}

/** The periods as a table, oldest first (new ones arrive at the end), each selectable, two comparable. */
export class PeriodTable {
  readonly element: HTMLElement;
  private readonly body = h('tbody');
  private readonly picked = new Set<number>();

  constructor(
    private readonly onSelect: (periodId: string) => void,
    private readonly onCompare: (numbers: [number, number]) => void,
  ) {
    this.element = h(
      'section',
      { class: 'periods', 'aria-labelledby': 'periods-title' },
      h('h2', { id: 'periods-title' }, 'Periods'),
      h('div', { class: 'scroll' }, h('table', {}, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Compare'), h('th', { scope: 'col' }, '#'), h('th', { scope: 'col' }, 'Window'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Summary'))), this.body)),
    );
  }

  draw(periods: PeriodItem[], selected: string | null): void {
    this.body.replaceChildren(...periods.map((period) => this.row(period, selected)));
  }

  private row(period: PeriodItem, selected: string | null): HTMLTableRowElement {
    const box = h('input', { type: 'checkbox', 'aria-label': `Compare period ${period.periodNumber}`, checked: this.picked.has(period.periodNumber), disabled: period.status !== 'ACTIVE' });
    box.addEventListener('change', () => {
      if (box.checked) this.picked.add(period.periodNumber);
      else this.picked.delete(period.periodNumber);
      if (this.picked.size === 2) {
        const [a, b] = [...this.picked].sort((m, n) => m - n) as [number, number];
        this.picked.clear();
        this.onCompare([a, b]);
      }
    });
    return h(
      'tr',
      { class: period.id === selected ? 'selected' : '', 'data-period': period.id },
      h('td', {}, box),
      h('td', { class: 'num' }, period.periodNumber),
      h('td', {}, h('button', { type: 'button', class: 'link', onclick: () => this.onSelect(period.id) }, `${when(period.periodStart)} → ${when(period.periodEnd)}`)),
      h('td', {}, period.status.toLowerCase()),
      h('td', {}, period.summaryShort ?? ''),
    );
  }
}
