import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';

// Results are read field by field in the tests, whose expectations check their shapes.
type AnyData = Record<string, any>;

export interface StreamEvent<T = AnyData> {
  id?: string;
  event: string;
  data: { data?: T; errors?: { message: string; extensions?: Record<string, unknown> }[]; extensions?: { cursor?: string } } | null;
}

async function waitFor<T>(what: string, check: () => T | undefined, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A subscription over server-sent events, as a fetch-based client (or a browser EventSource,
 * with `last-event-id`) makes it: the events it has received, parsed, in order. Resolves once the
 * response has started, which is when the server has registered the subscription.
 */
export async function subscribeSse<T = AnyData>(url: string, query: string, variables: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', ...headers },
    body: JSON.stringify({ query, variables }),
    signal: abort.signal,
  });
  const events: StreamEvent<T>[] = [];
  let ended = false;
  void (async () => {
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
      buffer += decoder.decode(chunk, { stream: true });
      for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const fields = new Map<string, string>();
        for (const line of block.split('\n')) {
          if (line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          fields.set(line.slice(0, colon), line.slice(colon + 1).trimStart());
        }
        if (!fields.has('event')) continue;
        const data = fields.get('data');
        events.push({ id: fields.get('id'), event: fields.get('event')!, data: data ? JSON.parse(data) : null });
      }
    }
  })()
    .catch(() => undefined)
    .finally(() => (ended = true));
  return {
    response,
    events,
    get ended() {
      return ended;
    },
    /** The `next` events, once there are at least `count`. */
    async received(count: number, timeoutMs = 5_000): Promise<StreamEvent<T>[]> {
      return waitFor(`${count} events`, () => {
        const next = events.filter((e) => e.event === 'next');
        return next.length >= count ? next : undefined;
      }, timeoutMs);
    },
    close: () => abort.abort(),
  };
}

/** A graphql-ws client on the gateway's WebSocket endpoint, collecting one subscription's results. */
export function subscribeWebSocket<T = AnyData>(httpUrl: string, query: string, variables: Record<string, unknown> = {}, connectionParams: Record<string, unknown> = {}) {
  const results: StreamEvent<T>['data'][] = [];
  let failure: unknown = null;
  const client: Client = createClient({ url: httpUrl.replace(/^http/, 'ws'), webSocketImpl: WebSocket, connectionParams, retryAttempts: 0, lazy: false, onNonLazyError: (error) => void (failure = error) });
  const dispose = client.subscribe<T>({ query, variables }, {
    next: (value) => void results.push(value as StreamEvent<T>['data']),
    error: (error) => void (failure = error),
    complete: () => undefined,
  });
  return {
    results,
    get failure() {
      return failure;
    },
    async received(count: number, timeoutMs = 5_000) {
      return waitFor(`${count} results`, () => (results.length >= count ? results : undefined), timeoutMs);
    },
    async close() {
      dispose();
      await client.dispose();
    },
  };
}

export { waitFor };
