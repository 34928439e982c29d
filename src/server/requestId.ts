import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import { isDatabaseUnavailable } from '../db/errors.js';
import { causes, GatewayError, type ErrorCode } from '../errors.js';
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

/** Also logs each refused request (a 4xx answer) once, at info: what the client sent wrong is not an operator's error. */
export function useRequestId(logger: Logger): Plugin {
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
      if (response.status >= 400 && response.status < 500) {
        logger.info({ requestId: id, method: request.method, path: new URL(request.url).pathname, status: response.status }, 'request refused');
      }
    },
  };
}

type YogaLogger = Record<'debug' | 'info' | 'warn' | 'error', (...args: unknown[]) => void>;

/** Domain errors that tell of the server's state, not of the request: worth an operator's look. */
const SERVER_SIDE: ReadonlySet<ErrorCode> = new Set(['DATABASE_UNAVAILABLE', 'TIMEOUT', 'SHUTTING_DOWN', 'SUBSCRIBER_TOO_SLOW', 'TOO_MANY_SUBSCRIPTIONS']);

/**
 * yoga's logger, each line with the request id of the request being handled. yoga logs at error
 * every error its mask rewrote, and the mask turns each domain error into its GraphQL form: a
 * domain error is logged with its code and without a stack instead, at info when it is the
 * request's to fix (NOT_FOUND, BAD_USER_INPUT, ...) and at warn when it tells of the server.
 */
export function requestLogger(logger: Logger): YogaLogger {
  // yoga may report one error twice (its mask, then its request handler): it is logged once.
  const logged = new WeakSet<Error>();
  const line =
    (level: 'debug' | 'info' | 'warn' | 'error') =>
    (...args: unknown[]) => {
      const requestId = current.getStore();
      const [first, ...rest] = args;
      if (!(first instanceof Error)) {
        logger[level]({ requestId, details: rest.length ? rest : undefined }, String(first));
        return;
      }
      if (logged.has(first)) return;
      logged.add(first);
      const domain = [...causes(first)].find((cause): cause is GatewayError => cause instanceof GatewayError);
      const path = (first as { path?: readonly (string | number)[] }).path;
      if (level === 'error' && domain) {
        logger[SERVER_SIDE.has(domain.code) ? 'warn' : 'info']({ requestId, code: domain.code, path }, domain.message);
      } else if (level === 'error' && isDatabaseUnavailable(first)) {
        // The database went away under the request (a restart, a failover, a killed connection): the
        // client got DATABASE_UNAVAILABLE; an operator sees it at warn, without a stack.
        logger.warn({ requestId, code: 'DATABASE_UNAVAILABLE', path }, first.message);
      } else logger[level]({ requestId, err: first }, first.message);
    };
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}
