import { request } from '../client.js';
import { h, when } from '../dom.js';
import { EntityListQuery } from '../operations.js';
import type { ViewState } from '../state.js';

/** The topics and tracked users by name, with search and status, their period count and last analysis. */
export async function renderList(root: HTMLElement, state: ViewState, open: (type: 'TOPIC' | 'USER', id: string) => void, onSearch: (text: string) => void): Promise<void> {
  const search = h('input', { type: 'search', id: 'entity-search', value: state.search, placeholder: 'Name contains…', 'aria-label': 'Search by name' });
  const status = h('select', { id: 'entity-status', 'aria-label': 'Status' }, h('option', { value: '' }, 'any status'), h('option', { value: 'active' }, 'active'), h('option', { value: 'paused' }, 'paused'));
  const table = h('table', { class: 'entities' }, h('caption', {}, 'Topics and tracked users'));
  const form = h('form', { class: 'filters', role: 'search', onsubmit: (event: Event) => event.preventDefault() }, h('label', { for: 'entity-search' }, 'Search'), search, h('label', { for: 'entity-status' }, 'Status'), status);
  root.replaceChildren(h('h1', {}, 'Entities'), form, table);

  let generation = 0;
  const load = async () => {
    const mine = ++generation;
    onSearch(search.value);
    const data = await request(EntityListQuery, { first: 100, search: search.value || null, status: status.value || null });
    if (mine !== generation) return;
    const rows = [
      ...data.topics.edges.map((e) => ({ ...e.node, type: 'TOPIC' as const, kind: 'topic' })),
      ...data.trackedUsers.edges.map((e) => ({ ...e.node, type: 'USER' as const, kind: `user · ${e.node.platform}` })),
    ].sort((a, b) => a.name.localeCompare(b.name));
    table.replaceChildren(
      h('caption', {}, `Topics and tracked users (${rows.length})`),
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Kind'), h('th', { scope: 'col' }, 'Status'), h('th', { scope: 'col' }, 'Periods'), h('th', { scope: 'col' }, 'Last analysis'))),
      h(
        'tbody',
        {},
        rows.map((row) =>
          h(
            'tr',
            {},
            h('td', {}, h('a', { href: `?entityType=${row.type}&entityId=${row.id}`, onclick: (event: Event) => (event.preventDefault(), open(row.type, row.id)) }, row.name)),
            h('td', {}, row.kind),
            h('td', {}, row.status),
            h('td', { class: 'num' }, row.totalPeriods),
            h('td', {}, when(row.lastPeriod?.analyzedAt)),
          ),
        ),
      ),
    );
  };
  let timer: ReturnType<typeof setTimeout> | undefined;
  search.addEventListener('input', () => (clearTimeout(timer), (timer = setTimeout(() => void load(), 200))));
  status.addEventListener('change', () => void load());
  await load();
}
