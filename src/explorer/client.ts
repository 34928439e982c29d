import { createClient, type Client } from 'graphql-sse';
import type { TypedDocumentString } from './gql/graphql.js';

/**
 * The explorer's GraphQL client: operations by their persisted hash (the gateway serves the
 * explorer's documents, PERSISTED_OPERATIONS_ONLY included), queries over fetch, subscriptions
 * over server-sent events (graphql-sse) that resume from the last cursor after a lost
 * connection. The token, when authentication is on, is kept for this tab only.
 */

export interface ApiError {
  code: string;
  message: string;
}

export class RequestFailed extends Error {
  constructor(readonly errors: ApiError[]) {
    super(errors.map((e) => e.message).join('; '));
  }
}

const ENDPOINT = '/graphql';
const TOKEN_KEY = 'crosshot-explorer-token';

export const token = {
  get: (): string | null => sessionStorage.getItem(TOKEN_KEY),
  set: (value: string | null) => (value ? sessionStorage.setItem(TOKEN_KEY, value) : sessionStorage.removeItem(TOKEN_KEY)),
};

/**
 * The newest consistency token a response carried (a mutation's `extensions.consistencyToken`),
 * sent back with every later request: with read replicas, what this page wrote is what it reads.
 */
let consistencyToken: string | null = null;

function headers(): Record<string, string> {
  const value = token.get();
  return {
    'content-type': 'application/json',
    accept: 'application/graphql-response+json, application/json',
    ...(value ? { authorization: `Bearer ${value}` } : {}),
    ...(consistencyToken ? { 'x-consistency-token': consistencyToken } : {}),
  };
}

function persisted<R, V>(document: TypedDocumentString<R, V>): { extensions: { persistedQuery: { version: 1; sha256Hash: string } } } {
  const hash = (document.__meta__ as { hash?: string } | undefined)?.hash;
  if (!hash) throw new Error('a document without its persisted hash: run npm run codegen');
  return { extensions: { persistedQuery: { version: 1, sha256Hash: hash } } };
}

function errorsOf(body: { errors?: { message: string; extensions?: { code?: string } }[] } | null, status: number): ApiError[] {
  if (body?.errors?.length) return body.errors.map((e) => ({ code: e.extensions?.code ?? 'ERROR', message: e.message }));
  return [{ code: status === 0 ? 'UNREACHABLE' : `HTTP_${status}`, message: status === 0 ? 'the server cannot be reached' : `the server answered ${status}` }];
}

export async function request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
  let response: Response;
  try {
    response = await fetch(ENDPOINT, { method: 'POST', headers: headers(), body: JSON.stringify({ ...persisted(document), variables }) });
  } catch {
    throw new RequestFailed(errorsOf(null, 0));
  }
  const body = (await response.json().catch(() => null)) as { data?: R; errors?: { message: string; extensions?: { code?: string } }[]; extensions?: { consistencyToken?: string } } | null;
  if (body?.extensions?.consistencyToken) consistencyToken = body.extensions.consistencyToken;
  if (!body || body.errors?.length || !body.data) throw new RequestFailed(errorsOf(body, response.status));
  return body.data;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'stopped';

let sse: Client | null = null;
function sseClient(): Client {
  // One client (its connections carry the current token); retries are ours, with the cursor.
  sse ??= createClient({ url: ENDPOINT, headers: () => headers(), retryAttempts: 0 });
  return sse;
}

/**
 * Follows a subscription: `onData` for each result; after a lost connection it subscribes again
 * with `after` = the last cursor received (the gateway replays what was missed), with backoff.
 * Returns the function that stops it.
 */
export function follow<R, V extends { after?: string | null }>(
  document: TypedDocumentString<R, V>,
  variables: V,
  onData: (data: R) => void,
  onState: (state: LiveState, error?: ApiError) => void,
  /** Called after reconnecting without a cursor (nothing was received before the connection went): load the current state again. */
  onResync: () => void = () => undefined,
): () => void {
  let cursor: string | null = variables.after ?? null;
  let stopped = false;
  let dispose: (() => void) | null = null;
  let delay = 500;
  let attempts = 0;
  const start = () => {
    if (stopped) return;
    const resync = attempts++ > 0 && cursor === null;
    onState(attempts > 1 ? 'reconnecting' : 'connecting');
    let opened = false;
    dispose = sseClient().subscribe<R>(
      { query: '', variables: { ...variables, after: cursor } as Record<string, unknown>, ...persisted(document) },
      {
        next: (result) => {
          const errors = (result as { errors?: { message: string; extensions?: { code?: string } }[] }).errors;
          if (errors?.length) {
            onState('stopped', errorsOf({ errors }, 200)[0]);
            stopped = true;
            return;
          }
          if (!opened) {
            opened = true;
            delay = 500;
          }
          const next = (result.extensions as { cursor?: string } | undefined)?.cursor;
          if (next) cursor = next;
          onState('live');
          if (result.data) onData(result.data as R);
        },
        error: () => retry(),
        complete: () => retry(),
      },
    );
    // The stream opened (no result yet): live once the server holds it.
    setTimeout(() => {
      if (stopped || opened) return;
      onState('live');
      // Subscribed again without a cursor: what happened meanwhile is loaded, not replayed.
      if (resync) onResync();
    }, 300);
  };
  const retry = () => {
    if (stopped) return;
    onState('reconnecting');
    setTimeout(start, delay);
    delay = Math.min(delay * 2, 10_000);
  };
  start();
  return () => {
    stopped = true;
    dispose?.();
  };
}
