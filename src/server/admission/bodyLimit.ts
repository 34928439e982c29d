import { createGraphQLError, type Plugin } from 'graphql-yoga';

/**
 * The request body limit (MAX_REQUEST_BODY_BYTES), checked on the declared length before the
 * body is read. Node's HTTP parser reads exactly Content-Length bytes as the body, so the
 * declared length is the body's length; a body sent without one (chunked) is refused with 411,
 * as no GraphQL client needs to stream its request. Yoga's own limit is off in favour of this:
 * it counts every body through a transform stream, which cost each request more than its
 * authentication, scope check and cost estimate together.
 */
export function useRequestBodyLimit(maxBytes: number): Plugin {
  const tooLarge = (detail: string) =>
    createGraphQLError(`Request body too large: ${detail}; at most ${maxBytes} bytes are accepted`, {
      extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } },
    });
  return {
    onRequestParse({ request }) {
      const declared = request.headers.get('content-length');
      if (declared === null) {
        if (request.headers.has('transfer-encoding')) {
          throw createGraphQLError('Send the request body with a Content-Length header (chunked bodies are not accepted)', {
            extensions: { code: 'LENGTH_REQUIRED', http: { status: 411 } },
          });
        }
        return;
      }
      if (!/^\d+$/.test(declared)) {
        throw createGraphQLError('Content-Length header is invalid', { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });
      }
      if (Number(declared) > maxBytes) throw tooLarge(`${declared} bytes`);
    },
  };
}
