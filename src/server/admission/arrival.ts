import type { IncomingMessage } from 'node:http';
import type { Arrival } from '../../auth.js';

export type { Arrival } from '../../auth.js';
export { clientKey } from '../../auth.js';

interface HeaderSource {
  get(name: string): string | null;
}

function headersOf(message: IncomingMessage): HeaderSource {
  return {
    get(name) {
      const value = message.headers[name.toLowerCase()];
      return Array.isArray(value) ? value.join(', ') : (value ?? null);
    },
  };
}

/** The client address: with a trusted proxy in front, the last X-Forwarded-For hop (the one that proxy added). */
function addressOf(headers: HeaderSource, peer: string | undefined, trustProxy: boolean): string {
  const forwarded = trustProxy ? headers.get('x-forwarded-for') : null;
  const last = forwarded?.split(',').at(-1)?.trim();
  return last || peer || 'unknown';
}

/** An HTTP request (POST, GET, SSE); `peer` is the socket's remote address. */
export function httpArrival(request: Request, peer: string | undefined, trustProxy: boolean): Arrival {
  const headers = request.headers;
  return {
    transport: 'http',
    address: addressOf(headers, peer, trustProxy),
    authorization: headers.get('authorization'),
    origin: headers.get('origin'),
    host: headers.get('host'),
    lastEventId: headers.get('last-event-id'),
    consistencyToken: headers.get('x-consistency-token'),
  };
}

/**
 * A graphql-ws connection: its upgrade request, and the credentials of its connection_init
 * payload (`authorization`), which browsers must use since they cannot set headers on a WebSocket.
 */
export function webSocketArrival(upgrade: IncomingMessage, connectionParams: Readonly<Record<string, unknown>> | undefined, trustProxy: boolean): Arrival {
  const headers = headersOf(upgrade);
  const given = connectionParams?.authorization ?? connectionParams?.Authorization;
  return {
    transport: 'websocket',
    address: addressOf(headers, upgrade.socket.remoteAddress, trustProxy),
    authorization: typeof given === 'string' ? given : headers.get('authorization'),
    origin: headers.get('origin'),
    host: headers.get('host'),
    lastEventId: null,
    consistencyToken: typeof connectionParams?.consistencyToken === 'string' ? connectionParams.consistencyToken : headers.get('x-consistency-token'),
  };
}

