import { createClient } from 'graphql-ws';
import { WebSocket } from 'ws';

/** Every way an operation reaches the gateway: HTTP POST and GET, server-sent events, WebSocket (graphql-ws). */
export const TRANSPORTS = ['POST', 'GET', 'SSE', 'WS'] as const;
export type Transport = (typeof TRANSPORTS)[number];

export interface Operation {
  query?: string;
  variables?: Record<string, unknown>;
  extensions?: Record<string, unknown>;
}

export interface SendOptions {
  /** A bearer token: the Authorization header, or graphql-ws' connection_init payload. */
  token?: string;
  /** WebSocket: keep the connection open while no operation runs (graphql-ws closes an idle lazy one). */
  keepOpen?: boolean;
  /** A browser page's origin (the Origin header, on the WebSocket upgrade too). */
  origin?: string;
}

type GraphQLErrorBody = { message: string; extensions?: Record<string, unknown> };

/** What came back, alike for every transport: the first error's code (null when none), the data, the HTTP status or WebSocket close code. */
export interface Outcome {
  code: string | null;
  data?: unknown;
  errors?: GraphQLErrorBody[];
  status?: number;
  closeCode?: number;
}

function outcomeOf(body: { data?: unknown; errors?: GraphQLErrorBody[] } | null, extra: Partial<Outcome> = {}): Outcome {
  const code = body?.errors?.[0]?.extensions?.code;
  return { code: typeof code === 'string' ? code : body?.errors?.length ? 'UNCODED' : null, data: body?.data, errors: body?.errors, ...extra };
}

function headersFor(options: SendOptions, more: Record<string, string> = {}): Record<string, string> {
  return { ...more, ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...(options.origin ? { origin: options.origin } : {}) };
}

async function readJson(response: Response): Promise<{ data?: unknown; errors?: GraphQLErrorBody[] } | null> {
  const text = await response.text();
  try {
    return JSON.parse(text) as { data?: unknown; errors?: GraphQLErrorBody[] };
  } catch {
    return { errors: [{ message: text, extensions: { code: `HTTP_${response.status}` } }] };
  }
}

/** The first result an event stream sends (or its refusal), then it is closed. */
async function firstEvent(response: Response): Promise<{ data?: unknown; errors?: GraphQLErrorBody[] } | null> {
  if (!response.headers.get('content-type')?.startsWith('text/event-stream')) return readJson(response);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += decoder.decode(value, { stream: true });
      for (const block of buffer.split('\n\n').slice(0, -1)) {
        const lines = block.split('\n');
        if (!lines.includes('event: next')) continue;
        const data = lines.find((line) => line.startsWith('data:'))!.slice(5).trim();
        return JSON.parse(data) as { data?: unknown; errors?: GraphQLErrorBody[] };
      }
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

/** A graphql-ws client whose WebSocket sends `origin` on its upgrade, as a browser page's would. */
export function webSocketClient(httpUrl: string, options: SendOptions, onClose?: (code: number) => void) {
  const origin = options.origin;
  class BrowserLikeSocket extends WebSocket {
    constructor(address: string, protocols?: string | string[]) {
      super(address, protocols, origin ? { headers: { origin } } : {});
    }
  }
  return createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: BrowserLikeSocket,
    connectionParams: options.token ? { authorization: `Bearer ${options.token}` } : {},
    retryAttempts: 0,
    lazy: !options.keepOpen,
    onNonLazyError: () => undefined,
    on: { closed: (event) => onClose?.((event as { code: number }).code) },
  });
}

/** Sends one operation over `transport` and reports what came back (the first result of a subscription). */
export async function send(url: string, transport: Transport, operation: Operation, options: SendOptions = {}, timeoutMs = 5_000): Promise<Outcome> {
  if (transport === 'POST' || transport === 'SSE') {
    const response = await fetch(url, {
      method: 'POST',
      headers: headersFor(options, { 'content-type': 'application/json', accept: transport === 'SSE' ? 'text/event-stream' : 'application/json' }),
      body: JSON.stringify(operation),
      signal: AbortSignal.timeout(timeoutMs),
    });
    return outcomeOf(transport === 'SSE' ? await firstEvent(response) : await readJson(response), { status: response.status });
  }
  if (transport === 'GET') {
    const search = new URLSearchParams();
    if (operation.query) search.set('query', operation.query);
    if (operation.variables) search.set('variables', JSON.stringify(operation.variables));
    if (operation.extensions) search.set('extensions', JSON.stringify(operation.extensions));
    const response = await fetch(`${url}?${search}`, { headers: headersFor(options, { 'x-graphql-yoga-csrf': '1' }), signal: AbortSignal.timeout(timeoutMs) });
    return outcomeOf(await readJson(response), { status: response.status });
  }
  let closeCode: number | undefined;
  const client = webSocketClient(url, options, (code) => (closeCode = code));
  try {
    return await new Promise<Outcome>((resolve) => {
      const timer = setTimeout(() => resolve({ code: 'TIMED_OUT', closeCode }), timeoutMs);
      const done = (outcome: Outcome) => {
        clearTimeout(timer);
        resolve(outcome);
      };
      // graphql-ws requires a query string: a persisted operation sends an empty one with its hash.
      client.subscribe({ ...operation, query: operation.query ?? '' }, {
        next: (value) => done(outcomeOf(value as { data?: unknown; errors?: GraphQLErrorBody[] })),
        error: (error) => {
          if (Array.isArray(error)) done(outcomeOf({ errors: error as GraphQLErrorBody[] }));
          else {
            const code = (error as { code?: number }).code ?? closeCode;
            done({ code: `CLOSED_${code}`, closeCode: code });
          }
        },
        complete: () => done({ code: 'COMPLETED_EMPTY' }),
      });
    });
  } finally {
    await client.dispose();
  }
}
