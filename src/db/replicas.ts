import type { Logger } from '../logger.js';
import { isDatabaseUnavailable } from './errors.js';
import { createPool, type InstrumentedPool } from './pool.js';
import { createPrismaClient, type PrismaClient } from './prisma.js';

/**
 * Streaming replicas that serve queries (DATABASE_READ_URLS). Each replica's lag is measured, not
 * assumed: every READ_REPLICA_CHECK_INTERVAL_MS the primary's WAL position is compared with what
 * the replica has replayed (caught up: 0 ms; behind: the age of the last transaction it
 * replayed). A query goes to a healthy replica within READ_REPLICA_MAX_LAG_MS (in turn), else to
 * the primary. With a consistency token (the primary's WAL position after a mutation's commit,
 * which its response carries), only a replica that has replayed past it will do, waited for at
 * most READ_REPLICA_MAX_WAIT_MS; else the primary. A replica whose check or query fails is taken
 * out until a check succeeds again. Mutations, migrations, advisory locks and the change feed
 * never come here: they use the primary.
 */

export interface ReplicaState {
  name: string;
  healthy: boolean;
  /** Replay lag in ms at the last check (null: unknown). */
  lagMs: number | null;
  /** WAL position replayed at the last check. */
  replayed: string | null;
  error: string | null;
}

interface Replica extends ReplicaState {
  pool: InstrumentedPool;
  prisma: PrismaClient | null;
}

/** Where a query reads: a replica's pool, and a Prisma client over it. */
export interface ReadTarget {
  pool: InstrumentedPool;
  prisma: PrismaClient;
}

export interface ReplicaOptions {
  urls: string[];
  maxLagMs: number;
  maxWaitMs: number;
  checkIntervalMs: number;
  poolSize: number;
  statementTimeoutMs: number;
  preparedStatements: boolean;
  logger: Logger;
}

/** A WAL position ("16/B374D848") as a number, to compare. */
export function lsn(text: string): bigint {
  const [high, low] = text.split('/');
  if (!high || !low || !/^[0-9A-F]+$/i.test(high) || !/^[0-9A-F]+$/i.test(low)) throw new Error(`not a WAL position: ${text}`);
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

export function isWalPosition(text: string): boolean {
  return /^[0-9A-F]{1,8}\/[0-9A-F]{1,8}$/i.test(text);
}

const nameOf = (url: string) => {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}`;
};

/** Where queries went since start: a replica, or the primary (and of those, how many had a token no replica had reached in time). */
export interface RoutingCounts {
  replica: number;
  primary: number;
  tokenFallback: number;
}

export class ReadReplicas {
  private readonly replicas: Replica[];
  private next = 0;
  readonly routed: RoutingCounts = { replica: 0, primary: 0, tokenFallback: 0 };
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private refreshing: Promise<void> | null = null;

  constructor(
    private readonly primary: InstrumentedPool,
    private readonly options: ReplicaOptions,
  ) {
    this.replicas = options.urls.map((url) => ({
      name: nameOf(url),
      pool: createPool({
        connectionString: url,
        max: options.poolSize,
        statementTimeoutMs: options.statementTimeoutMs,
        preparedStatements: options.preparedStatements,
        applicationName: 'crosshot-gateway-read',
        onConnectionError: () => undefined,
      }),
      prisma: null,
      healthy: false,
      lagMs: null,
      replayed: null,
      error: 'not checked yet',
    }));
  }

  get configured(): boolean {
    return this.replicas.length > 0;
  }

  /** Each replica's last check (for /readyz and /metrics). */
  states(): ReplicaState[] {
    return this.replicas.map(({ name, healthy, lagMs, replayed, error }) => ({ name, healthy, lagMs, replayed, error }));
  }

  /** Checks now, then every checkIntervalMs. */
  async start(): Promise<void> {
    if (!this.configured || this.timer) return;
    await this.check();
    this.timer = setInterval(() => void this.check(), this.options.checkIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.checking;
    await Promise.all(
      this.replicas.map(async (replica) => {
        await replica.prisma?.$disconnect().catch(() => undefined);
        await replica.pool.end().catch(() => undefined);
      }),
    );
  }

  /** Measures every replica's lag against the primary's WAL position now. */
  check(): Promise<void> {
    this.checking ??= this.measure().finally(() => (this.checking = null));
    return this.checking;
  }

  private async measure(): Promise<void> {
    let primaryAt: bigint | null = null;
    try {
      primaryAt = lsn((await this.primary.query<{ at: string }>('SELECT pg_current_wal_lsn()::text AS at')).rows[0]!.at);
    } catch {
      // The primary is away: the replicas keep their last state (queries on them still answer).
      return;
    }
    await Promise.all(
      this.replicas.map(async (replica) => {
        try {
          const { rows } = await replica.pool.query<{ replayed: string | null; age_ms: number | null; recovering: boolean }>(
            `SELECT pg_last_wal_replay_lsn()::text AS replayed, pg_is_in_recovery() AS recovering,
                    (extract(epoch FROM clock_timestamp() - pg_last_xact_replay_timestamp()) * 1000)::float8 AS age_ms`,
          );
          const row = rows[0]!;
          if (!row.recovering || !row.replayed) throw new Error('not a streaming replica (pg_is_in_recovery() is false)');
          const caughtUp = lsn(row.replayed) >= primaryAt!;
          const was = replica.healthy;
          Object.assign(replica, { healthy: true, replayed: row.replayed, lagMs: caughtUp ? 0 : Math.max(0, Math.round(row.age_ms ?? Infinity)), error: null });
          if (!was) this.options.logger.info({ replica: replica.name }, 'read replica in service');
        } catch (error) {
          this.takeOut(replica, error);
        }
      }),
    );
  }

  private takeOut(replica: Replica, error: unknown): void {
    if (replica.healthy) this.options.logger.warn({ replica: replica.name, err: error }, 'read replica out of service until its next good check');
    Object.assign(replica, { healthy: false, error: error instanceof Error ? error.message : String(error) });
  }

  /** A query on `pool` failed as a database away: if it is a replica, it is out until its next good check. */
  failed(pool: InstrumentedPool, error: unknown): void {
    const replica = this.replicas.find((r) => r.pool === pool);
    if (replica && isDatabaseUnavailable(error)) this.takeOut(replica, error);
  }

  /**
   * Where a query runs: a replica in service within the lag bound (in turn), one that has replayed
   * past `token` when given (waited for at most maxWaitMs), else the primary (null).
   */
  async readTarget(token: string | null): Promise<ReadTarget | null> {
    const replica = await this.pick(token);
    if (!replica) {
      this.routed.primary++;
      if (token) this.routed.tokenFallback++;
      return null;
    }
    this.routed.replica++;
    replica.prisma ??= createPrismaClient(replica.pool);
    return { pool: replica.pool, prisma: replica.prisma };
  }

  /**
   * Each candidate's replay position now, asked once for all the queries waiting at this moment
   * (each waiter does not send its own).
   */
  private refreshPositions(candidates: Replica[]): Promise<void> {
    this.refreshing ??= Promise.all(
      candidates.map(async (replica) => {
        try {
          const { rows } = await replica.pool.query<{ replayed: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS replayed');
          if (rows[0]?.replayed) replica.replayed = rows[0].replayed;
        } catch (error) {
          this.takeOut(replica, error);
        }
      }),
    ).then(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private async pick(token: string | null): Promise<Replica | null> {
    const usable = () => this.replicas.filter((r) => r.healthy && r.lagMs !== null && r.lagMs <= this.options.maxLagMs);
    if (!token) {
      const candidates = usable();
      return candidates.length ? candidates[this.next++ % candidates.length]! : null;
    }
    const wanted = lsn(token);
    const deadline = Date.now() + this.options.maxWaitMs;
    for (;;) {
      const candidates = usable();
      const ready = candidates.find((r) => r.replayed && lsn(r.replayed) >= wanted);
      if (ready) return ready;
      if (candidates.length === 0 || Date.now() >= deadline) return null;
      // Ask the candidates where they are now (cheaper than waiting for the next check).
      await this.refreshPositions(candidates);
      if (candidates.some((r) => r.replayed && lsn(r.replayed) >= wanted)) continue;
      await new Promise((resolve) => setTimeout(resolve, Math.min(10, Math.max(0, deadline - Date.now()))));
    }
  }
}
