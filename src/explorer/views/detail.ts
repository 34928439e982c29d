import { request } from '../client.js';
import { h, number, SEVERITY, when } from '../dom.js';
import { CompareQuery, PeriodQuery } from '../operations.js';

type Change = { key: string; previous?: unknown; current?: unknown; absolute?: number | null; percent?: number | null };

function changes(rows: Change[]): HTMLTableElement {
  return h(
    'table',
    { class: 'changes' },
    h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Metric'), h('th', { scope: 'col' }, 'Before'), h('th', { scope: 'col' }, 'Now'), h('th', { scope: 'col' }, 'Change'), h('th', { scope: 'col' }, '%'))),
    h('tbody', {}, rows.map((c) => h('tr', { 'data-metric': c.key }, h('th', { scope: 'row' }, c.key), h('td', { class: 'num' }, number(c.previous)), h('td', { class: 'num' }, number(c.current)), h('td', { class: 'num' }, c.absolute == null ? '—' : `${c.absolute > 0 ? '+' : ''}${number(c.absolute)}`), h('td', { class: 'num' }, c.percent == null ? '—' : `${number(c.percent)} %`)))),
  );
}

const severityText = (severity: string) => {
  const s = SEVERITY[severity as keyof typeof SEVERITY] ?? SEVERITY.INFO;
  return h('span', { class: s.className }, `${s.mark} ${s.label}`);
};

/** A period's detail: summary, insights, metrics with their changes, events, crawl effectiveness, what it replaced. */
export async function renderPeriod(root: HTMLElement, id: string, onSelect: (periodId: string) => void): Promise<void> {
  const { period } = await request(PeriodQuery, { id });
  if (!period) {
    root.replaceChildren(h('p', {}, 'This period does not exist.'));
    return;
  }
  const insights = (period.insights as { items?: unknown[] } | null)?.items;
  const parts: (Node | null)[] = [
    h('h2', {}, `Period ${period.periodNumber}`, period.status !== 'ACTIVE' ? ` (${period.status.toLowerCase()})` : ''),
    h('p', { class: 'window' }, `${when(period.periodStart)} → ${when(period.periodEnd)} · analysed ${when(period.analyzedAt)} · quality ${number(period.qualityScore)} · completeness ${number(period.completenessScore)}`),
    period.supersededBy ? h('p', {}, 'Replaced by ', h('button', { type: 'button', class: 'link', onclick: () => onSelect(period.supersededBy!.id) }, `period ${period.supersededBy.periodNumber} (re-run)`)) : null,
    period.supersedes.length ? h('p', {}, 'Replaces: ', period.supersedes.map((s) => h('button', { type: 'button', class: 'link', onclick: () => onSelect(s.id) }, `earlier run of ${when(s.analyzedAt)}${s.supersessionReason ? ` (${s.supersessionReason})` : ''}`))) : null,
    h('h3', {}, 'Summary'),
    h('p', { class: 'summary' }, period.summary),
    h('h3', {}, 'Insights'),
    Array.isArray(insights) ? h('ul', {}, insights.map((item) => h('li', {}, typeof item === 'string' ? item : JSON.stringify(item)))) : h('pre', {}, JSON.stringify(period.insights, null, 2)),
    h('h3', {}, 'Metrics'),
    changes(period.metricChanges),
    h('h3', {}, `Events (${period.events.length})`),
    h('ul', { class: 'events' }, period.events.map((e) => h('li', {}, severityText(e.severity), ' ', h('strong', {}, e.title), ` — ${e.eventType}, ${when(e.firstDetectedAt)}${e.resolvedAt ? ` → ${when(e.resolvedAt)}` : ', open'}`))),
    h('h3', {}, 'Crawl effectiveness'),
    h(
      'table',
      {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Platform'), h('th', { scope: 'col' }, 'Query'), h('th', { scope: 'col' }, 'Relevant / found'), h('th', { scope: 'col' }, 'Score'))),
      h('tbody', {}, period.crawlEffectiveness.map((c) => h('tr', {}, h('td', {}, c.platform), h('td', {}, c.query), h('td', { class: 'num' }, `${c.relevantCount} / ${c.totalFound}`), h('td', { class: 'num' }, number(c.effectivenessScore))))),
    ),
  ];
  root.replaceChildren(...parts.filter((part): part is Node => part !== null));
}

/** Two periods compared (comparePeriods): metric changes, events opened, resolved and ongoing, shared contents. */
export async function renderComparison(root: HTMLElement, type: 'TOPIC' | 'USER', id: string, [from, to]: [number, number]): Promise<void> {
  const { comparePeriods: c } = await request(CompareQuery, { type, id, from, to });
  const events = (title: string, list: { id: string; title: string; severity: string }[]) =>
    h('div', {}, h('h4', {}, `${title} (${list.length})`), h('ul', {}, list.map((e) => h('li', {}, severityText(e.severity), ' ', e.title))));
  root.replaceChildren(
    h('h2', {}, `Period ${from} compared with period ${to}`),
    h('p', {}, `${number(c.elapsedHours)} hours apart · contents ${c.contentCountChange >= 0 ? '+' : ''}${c.contentCountChange} · quality ${number(c.qualityChange)} · completeness ${number(c.completenessChange)} · shared contents ${c.contentOverlap.shared} (only in ${from}: ${c.contentOverlap.onlyFrom}, only in ${to}: ${c.contentOverlap.onlyTo})`),
    h('h3', {}, 'Metrics'),
    changes(c.metrics),
    h('div', { class: 'columns' }, events('Opened', c.eventsOpened), events('Resolved', c.eventsResolved), events('Ongoing', c.eventsOngoing)),
  );
}
