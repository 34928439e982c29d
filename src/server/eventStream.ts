import type { ExecutionResult } from 'graphql';
import { isAsyncIterable, type Plugin } from 'graphql-yoga';

/**
 * Subscriptions over server-sent events, as yoga's own processor sends them (`event: next` with
 * the result as `data:`, `event: complete` at the end, comment pings), plus what a browser's
 * EventSource and the proxies between need:
 * - each result's change-feed cursor as the event's `id:`, so a reconnecting EventSource sends
 *   it back as `Last-Event-ID` and resumes where it was;
 * - `X-Accel-Buffering: no`, so nginx (and proxies that follow it) pass events on at once;
 * - pings every `keepAliveMs` (SUBSCRIPTION_KEEPALIVE_MS), so idle streams are not cut.
 * Yoga's processor has none of these settings, so this one replaces it for event streams.
 */
export function useEventStream({ keepAliveMs }: { keepAliveMs: number }): Plugin {
  return {
    onResultProcess({ request, result, setResultProcessor }) {
      if (!isAsyncIterable(result) || !acceptsEventStream(request)) return;
      setResultProcessor((stream, fetchAPI) => eventStreamResponse(stream as AsyncIterable<ExecutionResult>, fetchAPI, keepAliveMs), 'text/event-stream');
    },
  };
}

function acceptsEventStream(request: Request): boolean {
  return (request.headers.get('accept') ?? '').split(',').some((type) => type.trim().toLowerCase().startsWith('text/event-stream'));
}

/**
 * A browser EventSource: a GET that asks for an event stream and cannot send custom headers.
 * CSRF prevention lets it through: yoga runs no mutation from a GET, and another site's page
 * cannot read the stream (CORS), so it can neither write nor read.
 */
export function isEventSourceRequest(request: Request): boolean {
  return request.method === 'GET' && acceptsEventStream(request);
}

/** The result as JSON without the `http` extension (status codes are for the HTTP layer). */
function serialize(result: ExecutionResult): string {
  const { http: _http, ...extensions } = (result.extensions ?? {}) as Record<string, unknown>;
  const tail = Object.keys(extensions).length ? `,"extensions":${JSON.stringify(extensions)}` : '';
  if (!result.errors?.length) return `{"data":${JSON.stringify(result.data ?? null)}${tail}}`;
  const errors = result.errors?.map((error) => {
    const json = error.toJSON();
    if (!json.extensions?.http) return json;
    const { http: _status, ...rest } = json.extensions;
    return { ...json, extensions: rest };
  });
  return `${JSON.stringify({ ...result, errors, extensions: undefined }).slice(0, -1)}${tail}}`;
}

/**
 * The `next` event of a result, as bytes. The subscribers of one operation receive the same
 * result object for each change (see subscriptionEvents.ts), so it is encoded once for all.
 */
const encodedEvents = new WeakMap<object, Uint8Array>();

function encodedEvent(result: ExecutionResult, encoder: TextEncoder): Uint8Array {
  let bytes = encodedEvents.get(result);
  if (!bytes) {
    const cursor = (result.extensions as { cursor?: unknown } | undefined)?.cursor;
    const id = typeof cursor === 'string' ? `id: ${cursor}\n` : '';
    encodedEvents.set(result, (bytes = encoder.encode(`${id}event: next\ndata: ${serialize(result)}\n\n`)));
  }
  return bytes;
}

function eventStreamResponse(results: AsyncIterable<ExecutionResult>, fetchAPI: { ReadableStream: typeof ReadableStream; Response: typeof Response; TextEncoder: typeof TextEncoder }, keepAliveMs: number): Response {
  const encoder = new fetchAPI.TextEncoder();
  const iterator = results[Symbol.asyncIterator]();
  let ping: NodeJS.Timeout | undefined;
  const body = new fetchAPI.ReadableStream<Uint8Array>({
    start(controller) {
      // Some browsers hold a response until its first bytes: a ping flushes the headers.
      controller.enqueue(encoder.encode(':\n\n'));
      ping = setInterval(() => {
        if (controller.desiredSize === null) clearInterval(ping);
        else if (controller.desiredSize > 0) controller.enqueue(encoder.encode(':\n\n'));
      }, keepAliveMs);
    },
    async pull(controller) {
      try {
        const { value, done } = await iterator.next();
        if (value) controller.enqueue(encodedEvent(value, encoder));
        if (done) {
          clearInterval(ping);
          controller.enqueue(encoder.encode('event: complete\ndata:\n\n'));
          controller.close();
        }
      } catch (error) {
        clearInterval(ping);
        controller.error(error);
      }
    },
    async cancel() {
      // The client went away: the subscription releases what it holds.
      clearInterval(ping);
      await iterator.return?.();
    },
  });
  return new fetchAPI.Response(body, {
    status: 200,
    headers: {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'Content-Encoding': 'none',
      'X-Accel-Buffering': 'no',
    },
  });
}
