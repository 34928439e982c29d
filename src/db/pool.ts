import pg from 'pg';

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
}

/**
 * One pg pool for the whole process: Prisma (through @prisma/adapter-pg), raw SQL for views
 * and functions, and the migration runner all use it, so the statement hook below sees every
 * statement a request runs. Tests use that to prove a query is free of N+1 and that rejected
 * input ran no SQL.
 */
export function createPool(options: PoolOptions): InstrumentedPool {
  const listeners = new Set<StatementListener>();

  class InstrumentedClient extends pg.Client {
    // pg's query() has many overloads; the hook only reads the SQL text and passes the rest on.
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    override query(...args: any[]): any {
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
  }) as InstrumentedPool;

  // An idle client that loses its connection (server restart, failover) emits 'error' on the
  // pool; without a listener that would crash the process instead of being replaced.
  pool.on('error', () => undefined);

  pool.onStatement = (listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  };
  return pool;
}
