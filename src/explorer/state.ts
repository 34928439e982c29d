/** What the page shows, as the URL says it: a link names the entity, period, comparison and metric. */
export interface ViewState {
  entityType: 'TOPIC' | 'USER' | null;
  entityId: string | null;
  period: string | null;
  compare: [number, number] | null;
  metric: string | null;
  bucket: 'HOUR' | 'DAY' | 'WEEK' | 'MONTH';
  fill: 'NONE' | 'NULL' | 'PREVIOUS' | 'LINEAR';
  superseded: boolean;
  search: string;
}

const BUCKETS = ['HOUR', 'DAY', 'WEEK', 'MONTH'] as const;
const FILLS = ['NONE', 'NULL', 'PREVIOUS', 'LINEAR'] as const;

export function readState(): ViewState {
  const q = new URLSearchParams(location.search);
  const type = q.get('entityType');
  const compare = q.get('compare')?.split(',').map(Number);
  const bucket = q.get('bucket') as ViewState['bucket'];
  const fill = q.get('fill') as ViewState['fill'];
  return {
    entityType: type === 'TOPIC' || type === 'USER' ? type : null,
    entityId: q.get('entityId'),
    period: q.get('period'),
    compare: compare?.length === 2 && compare.every(Number.isInteger) ? [compare[0]!, compare[1]!] : null,
    metric: q.get('metric'),
    bucket: BUCKETS.includes(bucket) ? bucket : 'DAY',
    fill: FILLS.includes(fill) ? fill : 'PREVIOUS',
    superseded: q.get('superseded') === '1',
    search: q.get('search') ?? '',
  };
}

/** Writes the state into the URL (replacing the history entry unless `push`), without reloading. */
export function writeState(state: ViewState, push = false): void {
  const q = new URLSearchParams();
  if (state.entityType && state.entityId) {
    q.set('entityType', state.entityType);
    q.set('entityId', state.entityId);
    if (state.period) q.set('period', state.period);
    if (state.compare) q.set('compare', state.compare.join(','));
    if (state.metric) q.set('metric', state.metric);
    if (state.bucket !== 'DAY') q.set('bucket', state.bucket);
    if (state.fill !== 'PREVIOUS') q.set('fill', state.fill);
    if (state.superseded) q.set('superseded', '1');
  } else if (state.search) q.set('search', state.search);
  // Commas need no escaping in a query string (compare=2,7 reads better than 2%2C7).
  const url = `${location.pathname}${q.size ? `?${q.toString().replaceAll('%2C', ',')}` : ''}`;
  if (push) history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}
