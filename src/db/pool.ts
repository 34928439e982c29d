import { createHash } from 'node:crypto';
import pg from 'pg';
import { exactParameter, parseStoredTimestamp, TIMESTAMPTZ_OID } from './timestamp.js';

/** Receives every statement sent through a pool made here (Prisma's included), with its parameters. */
export type StatementListener = (sql: string, values: unknown[] | undefined) => void;

export interface InstrumentedPool extends pg.Pool {
  /** Registers a listener and returns the function that removes it. */
  onStatement(listener: StatementListener): () => void;
}

export interface PoolOptions {
  connectionString: string;
  max?: number;
  statementTimeoutMs?: number;
  /** How long a request may wait for a free connection before it fails (0: forever). */
  acquireTimeoutMs?: number;
  applicationName?: string;
  /**
   * Send the statements marked `prepare` as named prepared statements, parsed and planned once
   * per connection (at most MAX_PREPARED_PER_CONNECTION each). Default on; off behind a pooler
   * that cannot keep them (PgBouncer in transaction mode before 1.21).
   */
  preparedStatements?: boolean;
  /** Told of every connection the pool loses (server restart, failover, an administrator's kill, a cut network). */
  onConnectionError?: (error: Error) => void;
}

/** Distinct statements a connection keeps prepared; further ones run unnamed. */
const MAX_PREPARED_PER_CONNECTION = 500;

/** Statement name per SQL text (a digest), remembered for the texts seen most recently. */
const statementNames = new Map<string, string>();

function statementName(text: string): string {
  let name = statementNames.get(text);
  if (!name) {
    if (statementNames.size >= 2 * MAX_PREPARED_PER_CONNECTION) statementNames.clear();
    statementNames.set(text, (name = `gw_${createHash('sha1').update(text).digest('base64url')}`));
  }
  return name;
}

/** A statement for queryRows: `prepare` asks for a named prepared statement (see PoolOptions). */
export interface StatementConfig {
  text: string;
  values: unknown[];
  prepare?: boolean;
}

/**
 * One pg pool for the whole process: Prisma (through @prisma/adapter-pg), raw SQL for views
 * and functions, and the migration runner all use it, so the statement hook below sees every
 * statement a request runs. Tests use that to prove a query is free of N+1 and that rejected
 * input ran no SQL.
 */
export function createPool(options: PoolOptions): InstrumentedPool {
  const listeners = new Set<StatementListener>();
  const preparedStatements = options.preparedStatements ?? true;

  class InstrumentedClient extends pg.Client {
    private readonly prepared = new Set<string>();

    // pg's query() has many overloads; the hook only reads the SQL text and passes the rest on.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
      const config = args[0] as StatementConfig | undefined;
      if (preparedStatements && typeof config === 'object' && config?.prepare) {
        const name = statementName(config.text);
        if (this.prepared.has(name) || this.prepared.size < MAX_PREPARED_PER_CONNECTION) {
          this.prepared.add(name);
          args[0] = { text: config.text, values: config.values, name };
        }
      }
      // Timestamps go to PostgreSQL as their exact text (pg would send a Date's milliseconds).
      if (typeof args[0] === 'object' && Array.isArray(args[0]?.values) && typeof args[0].submit !== 'function') {
        args[0] = { ...args[0], values: args[0].values.map(exactParameter) };
      }
      else if (Array.isArray(args[1])) args[1] = args[1].map(exactParameter);
      if (listeners.size > 0) {
        const first = args[0] as string | { text?: string; values?: unknown[] } | undefined;
        const text = typeof first === 'string' ? first : first?.text;
        const values = typeof first === 'string' ? (Array.isArray(args[1]) ? (args[1] as unknown[]) : undefined) : first?.values;
        if (text) for (const listener of listeners) listener(text, values);
      }
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      return (super.query as any)(...args);
    }
  }

  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    application_name: options.applicationName ?? 'crosshot-gateway',
    statement_timeout: options.statementTimeoutMs || undefined,
    connectionTimeoutMillis: options.acquireTimeoutMs ?? 0,
    Client: InstrumentedClient,
    // timestamptz values keep their microseconds (see timestamp.ts).
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === TIMESTAMPTZ_OID && format !== 'binary' ? parseStoredTimestamp : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  }) as InstrumentedPool;

  // A connection that dies emits 'error' on its client: on the pool too while it is idle, but
  // only on the client while it is checked out (pg-pool takes its own listener off then), for
  // example between the statements of a transaction. An 'error' event without a listener ends
  // the process, so every client gets one for its whole life; the statement that next uses the
  // client fails instead (DATABASE_UNAVAILABLE), and the pool discards it when it is released.
  const lost = options.onConnectionError ?? (() => undefined);
  pool.on('connect', (client) => client.on('error', lost));
  pool.on('error', () => undefined);

  pool.onStatement = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return pool;
}
