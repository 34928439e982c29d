import { useCSRFPrevention } from '@graphql-yoga/plugin-csrf-prevention';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { isEventSourceRequest } from '../eventStream.js';
import type { Arrival } from './arrival.js';

/** Clients that cannot send a JSON body (a GET query from a script) send this header instead. */
export const CSRF_HEADER = 'x-graphql-yoga-csrf';

/**
 * The one origin rule, for every transport: an operation sent by a browser page (it carries an
 * Origin header) runs only when that page is this server's own (Origin matches the Host the
 * browser addressed) or is listed in CORS_ORIGINS. Clients that are not browsers send no Origin
 * and are not concerned. Over HTTP this is checked before the request is read; a WebSocket is
 * checked at its upgrade, which browsers send cross-site without any preflight.
 */
export function originAllowed(arrival: Pick<Arrival, 'origin' | 'host'>, corsOrigins: readonly string[]): boolean {
  const { origin, host } = arrival;
  if (origin === null) return true;
  if (corsOrigins.includes(origin)) return true;
  if (!URL.canParse(origin) || host === null) return false;
  return new URL(origin).host === host.toLowerCase();
}

export function originRefusal(origin: string | null): { message: string; code: string } {
  return {
    message: `requests from the page at ${origin ?? 'an unknown origin'} are not accepted: only this server's own pages and the origins in CORS_ORIGINS may call it`,
    code: 'ORIGIN_NOT_ALLOWED',
  };
}

/**
 * HTTP's side of the browser rules:
 * - the origin rule above, before anything else (403 ORIGIN_NOT_ALLOWED);
 * - CORS for the listed origins only: their own origin echoed back with credentials; any other
 *   origin gets no CORS headers at all (never `null`, which a sandboxed page would match);
 * - CSRF prevention: a request a browser sends without a preflight (a form, multipart or
 *   text/plain POST, a plain GET) must carry the CSRF header (403 CSRF_HEADER_REQUIRED), so a
 *   page cannot make a visitor's browser write. A browser EventSource (a GET asking for an event
 *   stream, which cannot send headers) is let through: yoga runs no mutation from a GET.
 */
export function useBrowserRules(corsOrigins: readonly string[]): Plugin {
  const csrf = useCSRFPrevention({ requestHeaders: [CSRF_HEADER] });
  return {
    onRequest({ request, fetchAPI, endResponse }) {
      const sender = { origin: request.headers.get('origin'), host: request.headers.get('host') };
      if (originAllowed(sender, corsOrigins)) return;
      const { message, code } = originRefusal(sender.origin);
      endResponse(
        new fetchAPI.Response(JSON.stringify({ errors: [{ message, extensions: { code } }] }), {
          status: 403,
          headers: { 'content-type': 'application/json; charset=utf-8' },
        }),
      );
    },
    onRequestParse(payload) {
      if (isEventSourceRequest(payload.request)) return;
      try {
        return csrf.onRequestParse?.(payload);
      } catch {
        throw createGraphQLError(`send the request as JSON (Content-Type: application/json), or add the header ${CSRF_HEADER}: 1`, {
          extensions: { code: 'CSRF_HEADER_REQUIRED', http: { status: 403 } },
        });
      }
    },
  };
}

/** yoga's `cors` option: the listed origins, each echoed back with credentials; nothing for any other. */
export function corsFor(corsOrigins: readonly string[]) {
  if (corsOrigins.length === 0) return false as const;
  return (request: Request) => {
    const origin = request.headers.get('origin');
    return origin !== null && corsOrigins.includes(origin) ? { origin, credentials: true } : false;
  };
}
