import { causes } from '../errors.js';

/**
 * Turns the errors an operator meets (server unreachable, bad credentials, missing database,
 * a migration's own RAISE with a HINT) into one message that says what to do next.
 */
export class OperatorError extends Error {
  override name = 'OperatorError';
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
  }
}

interface PgLikeError {
  code?: string;
  message?: string;
  hint?: string;
  detail?: string;
  address?: string;
  port?: number;
  errors?: PgLikeError[];
}

function describeTarget(databaseUrl: string | undefined): string {
  if (!databaseUrl) return 'PostgreSQL';
  try {
    const url = new URL(databaseUrl);
    const database = url.pathname.replace(/^\//, '') || '(default)';
    return `PostgreSQL at ${url.hostname || 'localhost'}:${url.port || '5432'} (database ${database})`;
  } catch {
    return 'PostgreSQL (DATABASE_URL is not a valid URL)';
  }
}

/** Socket errors of a database that cannot be reached (down, restarting, behind a cut network). */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Whether an error (or what it wraps) says the database is not there right now, as opposed to
 * a statement it refused: unreachable, shutting down or starting up (57P01–57P03), out of
 * connections (53300), a broken connection (SQLSTATE class 08), or a connection that ended under
 * a query. Such errors pass when the database is back; waiting and retrying is the cure.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  return [...causes(error)].some(
    ({ code, message }) =>
      (typeof code === 'string' && (UNREACHABLE.has(code) || /^57P0[123]$/.test(code) || code === '53300' || code.startsWith('08'))) ||
      (typeof message === 'string' && /Connection terminated|connection ended|Client has encountered a connection error/i.test(message)),
  );
}

export function toOperatorError(error: unknown, databaseUrl?: string): OperatorError {
  if (error instanceof OperatorError) return error;
  const pgError = (error ?? {}) as PgLikeError;
  // AggregateError from a host that resolves to several addresses carries the real cause inside.
  const cause = pgError.errors?.[0] ?? pgError;
  const target = describeTarget(databaseUrl);
  switch (cause.code) {
    case 'ECONNREFUSED':
    case 'ETIMEDOUT':
    case 'EHOSTUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return new OperatorError(
        `cannot reach ${target}: ${cause.code}`,
        'Check that the server is running and that DATABASE_URL names the right host and port (unset DATABASE_URL to use the embedded PostgreSQL).',
      );
    case '28P01':
    case '28000':
      return new OperatorError(`${target} refused the credentials: ${cause.message}`, 'Check the user and password in DATABASE_URL.');
    case '3D000':
      return new OperatorError(`${cause.message} on ${target}`, 'Create it first (createdb) or fix the database name in DATABASE_URL.');
    case '42501':
      return new OperatorError(`permission denied on ${target}: ${cause.message}`, cause.hint ?? 'Connect as the database owner or a role with the needed privileges.');
    default:
      return new OperatorError(cause.message ?? String(error), cause.hint ?? cause.detail);
  }
}

export function formatOperatorError(error: OperatorError): string {
  return error.hint ? `${error.message}\n  hint: ${error.hint}` : error.message;
}
