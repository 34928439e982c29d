import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { Logger } from '../logger.js';

/**
 * Every request gets an id: the caller's `x-request-id` when it is a plain token, otherwise a
 * new UUID. The response carries it back (`x-request-id`), unexpected errors carry it in
 * `extensions.requestId`, and every log line written while the request is handled names it, so
 * a client's report leads to the server's log line.
 */
const current = new AsyncLocalStorage<string>();
const GIVEN_ID = /^[\w.:-]{1,128}$/;

export function currentRequestId(): string | undefined {
  return current.getStore();
}

export function useRequestId(): Plugin {
  const ids = new WeakMap<Request, string>();
  return {
    onRequest({ request }) {
      const given = request.headers.get('x-request-id');
      const id = given && GIVEN_ID.test(given) ? given : randomUUID();
      ids.set(request, id);
      // The rest of this request's handling runs in this async context.
      current.enterWith(id);
    },
    onResponse({ request, response }) {
      const id = ids.get(request);
      if (id) response.headers.set('x-request-id', id);
    },
  };
}

type YogaLogger = Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void>;

/** yoga's logger, each line with the request id of the request being handled. */
export function requestLogger(logger: Logger): YogaLogger {
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const requestId = current.getStore();
      const [first, ...rest] = args;
      if (first instanceof Error) logger[level]({ requestId, err: first }, first.message);
      else logger[level]({ requestId, details: rest.length ? rest : undefined }, String(first));
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
