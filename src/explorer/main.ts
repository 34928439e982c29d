import 'uplot/dist/uPlot.min.css';
import './explorer.css';
import { RequestFailed, token, type ApiError } from './client.js';
import { h } from './dom.js';
import { readState, writeState, type ViewState } from './state.js';
import { EntityView } from './views/entity.js';
import { renderList } from './views/list.js';

/**
 * The timeline explorer: the entities, and one entity's periods, metrics and events, live.
 * What is shown is in the URL, so a link can be shared.
 */
const main = document.getElementById('main')!;
const banner = document.getElementById('banner')!;
let state = readState();
let entityView: EntityView | null = null;

const MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: 'The server needs a token: paste one in the Token field (kept for this tab only).',
  FORBIDDEN: 'This token may not read this: ask for a token with the read scope.',
  RATE_LIMITED: 'Too many requests from this client right now: wait a moment, then reload.',
  UNREACHABLE: 'The server cannot be reached: check that it runs, then reload.',
  PERSISTED_QUERY_NOT_FOUND: 'The server does not know this page’s operations: it runs another version of the explorer.',
};

function report(error: unknown): void {
  const errors: ApiError[] = error instanceof RequestFailed ? error.errors : [{ code: 'ERROR', message: error instanceof Error ? error.message : String(error) }];
  const first = errors[0]!;
  banner.replaceChildren(h('strong', {}, first.code === 'ERROR' ? 'Error' : first.code), ': ', MESSAGES[first.code] ?? first.message);
  banner.hidden = false;
  banner.dataset.code = first.code;
  if (first.code === 'UNAUTHENTICATED') document.getElementById('token')?.focus();
}

function update(change: Partial<ViewState>, push = false): void {
  const entityChanged = ('entityId' in change && change.entityId !== state.entityId) || ('entityType' in change && change.entityType !== state.entityType);
  state = { ...state, ...change };
  writeState(state, push);
  if (entityChanged) void show();
  else void entityView?.change(state).catch(report);
}

async function show(): Promise<void> {
  banner.hidden = true;
  entityView?.close();
  entityView = null;
  try {
    if (state.entityType && state.entityId) {
      entityView = new EntityView(main, state, update, report);
      await entityView.open();
    } else {
      await renderList(main, state, (entityType, entityId) => update({ entityType, entityId, period: null, compare: null, metric: null }, true), (search) => {
        state = { ...state, search };
        writeState(state);
      });
    }
  } catch (error) {
    report(error);
  }
}

const tokenField = document.getElementById('token') as HTMLInputElement;
tokenField.value = token.get() ?? '';
document.getElementById('token-form')!.addEventListener('submit', (event) => {
  event.preventDefault();
  token.set(tokenField.value.trim() || null);
  void show();
});
addEventListener('popstate', () => {
  state = readState();
  void show();
});
void show();
