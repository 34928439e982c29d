/**
 * The error codes clients see in `extensions.code`. Each message says what to fix; nothing
 * here carries SQL, a stack trace or a driver message.
 */
export const ERROR_CODES = [
  'BAD_USER_INPUT',
  'NOT_FOUND',
  'UNAUTHENTICATED',
  'FORBIDDEN',
  'TIMEOUT',
  'PERIOD_OVERLAP',
  'DUPLICATE_PERIOD_NUMBER',
  'ENTITY_NOT_FOUND',
  'INVALID_STATE',
  'INVALID_SCORE',
  'CURSOR_EXPIRED',
  'TOO_MANY_SUBSCRIPTIONS',
  'SUBSCRIBER_TOO_SLOW',
  'SHUTTING_DOWN',
  'RANGE_TOO_LARGE',
  'DATABASE_UNAVAILABLE',
  'RATE_LIMITED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

/**
 * A domain error: a code clients branch on, a message that says what to fix, and details (the
 * argument at fault, the conflicting period, ...). Services throw these, knowing nothing of
 * GraphQL; the server turns them into GraphQL errors with `extensions.code` in one place
 * (src/server/errorCodes.ts).
 */
export class GatewayError extends Error {
  override name = 'GatewayError';

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}

export function badUserInput(message: string, argument?: string): GatewayError {
  return new GatewayError('BAD_USER_INPUT', message, argument ? { argument } : {});
}

export function notFound(message: string, details: Record<string, unknown> = {}): GatewayError {
  return new GatewayError('NOT_FOUND', message, details);
}

/** What Prisma's driver adapter reports instead of a socket error's code. */
const DRIVER_ADAPTER_KINDS: Record<string, string> = {
  DatabaseNotReachable: 'ECONNREFUSED',
  ConnectionClosed: 'ECONNRESET',
  SocketTimeout: 'ETIMEDOUT',
  TooManyConnections: '53300',
};

/**
 * An error and what it wraps, outermost first: GraphQL's originalError, an Error's cause, the
 * errors of an AggregateError (a host name that resolves to several addresses), and the
 * PostgreSQL error inside a Prisma error (its driver adapter's cause, with the SQLSTATE).
 */
export function* causes(error: unknown, depth = 0): Generator<{ code?: unknown; message?: unknown }> {
  if (!error || depth > 5) return;
  yield error as { code?: unknown; message?: unknown };
  const { originalError, cause, errors, meta } = error as { originalError?: unknown; cause?: unknown; errors?: unknown; meta?: { driverAdapterError?: { cause?: Record<string, unknown> } } };
  const driver = meta?.driverAdapterError?.cause;
  if (driver) yield { code: driver.originalCode ?? driver.code ?? DRIVER_ADAPTER_KINDS[String(driver.kind)], message: driver.originalMessage ?? driver.message };
  yield* causes(originalError ?? cause, depth + 1);
  if (Array.isArray(errors)) for (const inner of errors) yield* causes(inner, depth + 1);
}
