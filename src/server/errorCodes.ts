import { GraphQLError } from 'graphql';
import { isAsyncIterable, maskError as yogaMaskError, type Plugin, type YogaMaskedErrorOpts } from 'graphql-yoga';
import { isDatabaseUnavailable } from '../db/errors.js';
import { causes, GatewayError } from '../errors.js';
import { currentRequestId } from './requestId.js';

// graphql-armor rejects over-limit operations with messages like these and no code.
const LIMIT_ERRORS: [RegExp, string][] = [
  [/Query depth limit of \d+ exceeded/, 'DEPTH_LIMIT_EXCEEDED'],
  [/Aliases limit of \d+ exceeded/, 'ALIAS_LIMIT_EXCEEDED'],
  [/Token limit of \d+ exceeded/, 'TOKEN_LIMIT_EXCEEDED'],
  [/Directives limit of \d+ exceeded/, 'DIRECTIVE_LIMIT_EXCEEDED'],
  // graphql-js' NoSchemaIntrospectionCustomRule (INTROSPECTION=false).
  [/GraphQL introspection has been disabled/, 'INTROSPECTION_DISABLED'],
  [/^Syntax Error: /, 'GRAPHQL_PARSE_FAILED'],
];

/**
 * graphql-js (and Pothos' relay plugin, for a negative page size or a cursor that is not one of
 * the list's, as topics(after: "garbage")) reports a value that does not
 * fit an argument's type (a malformed DateTime in a variable or a literal, a string where an Int
 * goes) without an error code. Clients branch on
 * `extensions.code`, so such errors get BAD_USER_INPUT; their messages already name the
 * variable or argument and the value.
 */
const INPUT_ERROR = /^(Invalid cursor: |Variable "\$[^"]+" got invalid value|Variable "\$[^"]+" of required type|Expected value of type|Argument "[^"]+" of required type|Argument "[^"]+" must be|[A-Za-z]+ cannot represent|Enum "[^"]+" cannot represent|Value "[^"]*" does not exist in)/;

function argumentOf(message: string): { argument?: string } {
  const named = /^Argument "([^"]+)"/.exec(message);
  return named ? { argument: named[1] } : {};
}

function codeFor(message: string): Record<string, string> | null {
  if (INPUT_ERROR.test(message)) return { code: 'BAD_USER_INPUT', ...argumentOf(message) };
  const limit = LIMIT_ERRORS.find(([pattern]) => pattern.test(message));
  return limit ? { code: limit[1] } : null;
}

export function withCode<E extends Error>(error: E): E | GraphQLError {
  if (!(error instanceof GraphQLError)) return error;
  if (error.extensions?.code && error.extensions.code !== 'GRAPHQL_VALIDATION_FAILED') return error;
  const extensions = codeFor(error.message);
  if (!extensions) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, ...extensions },
  });
}

/**
 * Adds the codes on the way out, whichever phase (parse, validation, execution) raised the error
 * and whatever carried the operation: execution and subscription results at the GraphQL layer,
 * which every transport passes through, and HTTP's parse and validation errors as yoga answers
 * them (a WebSocket operation's are coded where it is admitted, see websocket.ts).
 */
export function useErrorCodes(): Plugin {
  const coded = <R extends { errors?: readonly GraphQLError[] }>(result: R): R | null =>
    result.errors?.length ? { ...result, errors: result.errors.map(withCode) } : null;
  return {
    onExecute: () => ({
      onExecuteDone({ result, setResult }) {
        if (isAsyncIterable(result)) return;
        const mapped = coded(result);
        if (mapped) setResult(mapped);
      },
    }),
    onSubscribe: () => ({
      onSubscribeResult({ result, setResult }) {
        if (isAsyncIterable(result)) return;
        const mapped = coded(result);
        if (mapped) setResult(mapped);
      },
    }),
    onResultProcess({ result, setResult }) {
      if (Array.isArray(result) || !('errors' in result) || !result.errors?.length) return;
      setResult({ ...result, errors: result.errors.map(withCode) });
    },
  };
}

/** A GraphQLError made to be shown (not one wrapping an unexpected error, which stays masked). */
function isClientFacing(error: unknown): error is GraphQLError {
  if (!(error instanceof GraphQLError)) return false;
  return error.originalError == null || isClientFacing(error.originalError);
}

/** PostgreSQL's "canceling statement due to statement timeout". */
const QUERY_CANCELED = '57014';

/** A statement cancelled by the statement timeout. */
export function timedOut(error: unknown): boolean {
  return [...causes(error)].some((cause) => cause.code === QUERY_CANCELED);
}

/** pg's pool gave up waiting for a free connection (connectionTimeoutMillis). */
export function waitedForConnection(error: unknown): boolean {
  return [...causes(error)].some((cause) => typeof cause.message === 'string' && cause.message.includes('timeout exceeded when trying to connect'));
}

/**
 * The one mapping of a domain error to what clients see: its message, `extensions.code` and
 * details, at the place in the document (`located`) where it was raised.
 */
export function graphQLErrorOf(error: GatewayError, located?: GraphQLError): GraphQLError {
  return new GraphQLError(error.message, { nodes: located?.nodes, path: located?.path, extensions: { code: error.code, ...error.details } });
}

/**
 * Unexpected errors stay masked ("Unexpected error.", details only in the log), except a
 * statement that ran into the statement timeout, or a request that waited too long for a pooled
 * connection: the client gets TIMEOUT and what to do; and a database that cannot be reached
 * (down, restarting): DATABASE_UNAVAILABLE, HTTP 503.
 */
export function maskedErrors(statementTimeoutMs: number): YogaMaskedErrorOpts {
  return {
    isDev: false,
    errorMessage: 'Unexpected error.',
    maskError(error, message, isDev) {
      const domain = [...causes(error)].find((cause): cause is GatewayError => cause instanceof GatewayError);
      if (domain) return graphQLErrorOf(domain, error instanceof GraphQLError ? error : undefined);
      // A GraphQL error raised as such (a refused request: CSRF, bad JSON, a batch, a body
      // limit; a validation error) is already what the client should see: returned as it is,
      // so yoga logs nothing for it (useRequestId logs the refused request once, at info).
      if (isClientFacing(error)) return error;
      if (waitedForConnection(error)) {
        return new GraphQLError('every database connection is busy; try again shortly', {
          path: error instanceof GraphQLError ? error.path : undefined,
          extensions: { code: 'TIMEOUT', reason: 'POOL_EXHAUSTED' },
        });
      }
      if (isDatabaseUnavailable(error)) {
        return new GraphQLError('the database cannot be reached right now; retry shortly', {
          path: error instanceof GraphQLError ? error.path : undefined,
          extensions: { code: 'DATABASE_UNAVAILABLE', http: { status: 503 } },
        });
      }
      if (timedOut(error)) {
        const original = error instanceof GraphQLError ? error : undefined;
        return new GraphQLError(`the request ran longer than the ${statementTimeoutMs} ms the server allows a statement; ask for less (smaller pages, a shorter window)`, {
          nodes: original?.nodes,
          path: original?.path,
          extensions: { code: 'TIMEOUT', timeoutMs: statementTimeoutMs },
        });
      }
      const masked = yogaMaskError(error, message, isDev);
      // The log line of the original error names the same id (see requestId.ts).
      const requestId = currentRequestId();
      if (!requestId || !(masked instanceof GraphQLError)) return masked;
      return new GraphQLError(masked.message, {
        nodes: masked.nodes,
        path: masked.path,
        extensions: { ...masked.extensions, requestId },
      });
    },
  };
}
