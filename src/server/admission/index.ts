import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import type { YogaServerOptions } from 'graphql-yoga';
import type { GatewayConfig } from '../../config.js';
import type { GraphQLContext } from '../../context.js';
import { useErrorCodes } from '../errorCodes.js';
import type { Arrival } from './arrival.js';
import { useRequestBodyLimit } from './bodyLimit.js';
import { useClientLimits } from './clientLimits.js';
import { useQueryCost } from './cost.js';
import { useInputRules } from './inputRules.js';
import { useIntrospectionPolicy } from './introspection.js';
import { originAllowed, useBrowserRules } from './origin.js';
import { operationDocument, readPersistedOperations, usePersistedOperationList, type PersistedOperations } from './persisted.js';
import { useScopes } from './scopes.js';

export { clientKey, httpArrival, webSocketArrival, type Arrival } from './arrival.js';
export { corsFor, CSRF_HEADER } from './origin.js';

/**
 * The one admission path: every rule an operation must pass before it runs, written once, for
 * every transport (HTTP POST and GET, server-sent events, WebSocket) and for the change feed's
 * re-executions of a subscription (admitted once, when it starts):
 *
 * | rule | where |
 * | --- | --- |
 * | browser origin (and CSRF, CORS over HTTP) | `originAllowed`: HTTP before the request is read, WebSocket at the upgrade |
 * | size | `maxMessageBytes`: HTTP bodies, WebSocket messages |
 * | persisted operations only | `operationDocument`: HTTP's params, a WebSocket subscribe message |
 * | introspection, armor (depth, aliases, tokens, directives) | `rules`: parse and validation |
 * | authentication | the context: HTTP's header, graphql-ws' connection_init payload |
 * | scopes, input rules (NUL), cost (subscriptions per delivery, variables' defaults included) | `rules`: before execution or subscription |
 * | per-client operations at once | `executionLimits`, around the executor |
 * | per-client open subscriptions | the change feed's subscribe, keyed by the same `clientKey` |
 *
 * `rules` are GraphQL-layer (envelop) plugins, which yoga's HTTP handling and the WebSocket
 * server both run operations through; the transport-level rules are functions both transports
 * call. test/admission.test.ts holds each rule against each transport.
 */
/** Plugins of the gateway's yoga (each typed with the context it reads). */
export type GatewayPlugins = NonNullable<YogaServerOptions<Record<string, never>, GraphQLContext>['plugins']>;

export interface Admission {
  /** Run before an operation executes or subscribes, whatever carried it. */
  rules: GatewayPlugins;
  /** Wraps the executor (after the compiled one is chosen), so a client's slot is held however the execution ends. */
  executionLimits: GatewayPlugins[number];
  /** HTTP's calls of the transport-level rules (yoga's request hooks). */
  http: GatewayPlugins;
  /** The document an operation's params name: theirs, or the persisted one (PERSISTED_OPERATIONS_ONLY refuses the others). */
  operationDocument(params: { query?: string | null; extensions?: Record<string, unknown> | null }): string | null;
  /** The origin rule, for transports that carry no preflight (the WebSocket upgrade). */
  originAllowed(arrival: Arrival): boolean;
  /** The largest request body and WebSocket message. */
  maxMessageBytes: number;
  /** The persisted operations' documents (their names label the metrics). */
  persistedDocuments: Iterable<string>;
}

/** `served`: operations the gateway serves besides PERSISTED_OPERATIONS_FILE's (the explorer's), by sha256. */
export function createAdmission(config: GatewayConfig, served: ReadonlyMap<string, string> = new Map()): Admission {
  const { file, only } = config.persistedOperations;
  const documents = new Map([...served, ...(file ? readPersistedOperations(file) : [])]);
  const persisted: PersistedOperations | null = file || documents.size ? { documents, only } : null;
  const { limits, pagination } = config;
  return {
    rules: [
      useIntrospectionPolicy(config.auth.introspection),
      // Depth, aliases, tokens and directives are checked at parse and validation, before any resolver runs.
      EnvelopArmorPlugin({
        maxDepth: { n: limits.maxDepth },
        // __typename counts too (armor leaves it out by default): 1,000 aliases of it are still 1,000 answers.
        maxAliases: { n: limits.maxAliases, allowList: [] },
        maxTokens: { n: limits.maxTokens },
        // Cost is useQueryCost's: armor's rule runs at validation, before the variables are known.
        costLimit: { enabled: false },
        blockFieldSuggestion: { enabled: config.nodeEnv === 'production' },
      }),
      useErrorCodes(),
      useScopes(),
      useInputRules(),
      useQueryCost({
        maxCost: limits.maxCost,
        defaultPageSize: pagination.defaultPageSize,
        maxPageSize: pagination.maxPageSize,
        maxSeriesBuckets: limits.maxSeriesBuckets,
        maxListSize: limits.maxListSize,
      }),
    ],
    executionLimits: useClientLimits({ maxConcurrent: limits.clientMaxConcurrency, maxQueued: limits.clientMaxQueued }),
    http: [
      useBrowserRules(config.server.corsOrigins),
      useRequestBodyLimit(config.server.maxRequestBodyBytes),
      ...(persisted ? [usePersistedOperationList(persisted)] : []),
    ],
    operationDocument: (params) => operationDocument(params, persisted),
    originAllowed: (arrival) => originAllowed(arrival, config.server.corsOrigins),
    maxMessageBytes: config.server.maxRequestBodyBytes,
    persistedDocuments: persisted ? [...persisted.documents.values()] : [],
  };
}
