import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createPool, type InstrumentedPool } from '../../src/db/pool.js';
import { migrate } from '../../src/db/migrations.js';
import { binaries, initialise, postgresIds, runsAsRoot, startPostgres, type Binaries } from '../../src/db/postgresProcess.js';
import { freePort } from './server.js';

/** The binaries of PostgreSQL `major`: Debian's when installed, else the embedded 18's. */
export async function binariesOf(major: number): Promise<Binaries> {
  const debian = `/usr/lib/postgresql/${major}/bin`;
  if (existsSync(join(debian, 'postgres'))) return { initdb: join(debian, 'initdb'), postgres: join(debian, 'postgres') };
  return binaries();
}

export interface ReplicatedCluster {
  /** The primary's migrated database `crosshot`. */
  primaryUrl: string;
  pool: InstrumentedPool;
  replicaUrl: string;
  /** The replica's log entries (a statement's further lines joined): with log_statement=all, every statement it ran. */
  replicaLog: string[];
  /** Statements the replica ran whose text contains `marker`. */
  statementsOnReplica(marker: string): number;
  /** Runs `sql` in a session of its own on the replica. */
  onReplica<T extends pg.QueryResultRow>(sql: string): Promise<T[]>;
  stopReplica(): Promise<void>;
  startReplica(): Promise<void>;
  /** Stops both servers (the folder is the caller's). */
  stop(): Promise<void>;
}

/**
 * A primary with the gateway's schema and a streaming replica of it, in `folder` (which the
 * postgres user can enter), run by `bin`. The replica is made as pg_basebackup makes one, with
 * the low-level backup API (the embedded package ships no pg_basebackup): pg_backup_start, a copy
 * of the data folder while the primary runs, pg_backup_stop's backup label, standby.signal, and
 * streaming from the primary.
 */
export async function startReplicatedCluster(bin: Binaries, folder: string, { logStatements = true } = {}): Promise<ReplicatedCluster> {
  const ids = runsAsRoot() ? postgresIds() : null;
  const password = randomBytes(18).toString('base64url');
  const primaryDir = join(folder, 'primary');
  const replicaDir = join(folder, 'replica');
  const [primaryPort, replicaPort] = [await freePort(), await freePort()];
  const urlOf = (port: number, database: string) => `postgresql://postgres:${password}@127.0.0.1:${port}/${database}`;
  const common = ['-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'full_page_writes=off'];

  await initialise(bin, primaryDir, password);
  const primary = await startPostgres(bin, primaryDir, primaryPort, [...common, '-c', 'wal_level=replica', '-c', 'max_wal_senders=4', '-c', 'wal_keep_size=256MB'], () => undefined);
  let replica: Awaited<ReturnType<typeof startPostgres>> | null = null;
  const stopServer = async (server: typeof replica) => {
    if (server && server.child.exitCode === null && server.child.signalCode === null) {
      server.child.kill('SIGINT');
      await server.exited;
    }
  };

  let pool: InstrumentedPool | null = null;
  const replicaLog: string[] = [];
  let startReplica: () => Promise<void>;
  try {
    const admin = new pg.Client({ connectionString: urlOf(primaryPort, 'postgres') });
    await admin.connect();
    await admin.query('CREATE DATABASE crosshot');
    pool = createPool({ connectionString: urlOf(primaryPort, 'crosshot'), max: 5 });
    await migrate({ pool, migrationsTable: 'pgmigrations' });

    // The base backup, taken while the primary runs.
    await admin.query(`SELECT pg_backup_start('crosshot-replica', true)`);
    execFileSync('cp', ['-a', primaryDir, replicaDir]);
    const { rows } = await admin.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(false)');
    await admin.end();
    for (const file of ['postmaster.pid', 'postmaster.opts']) execFileSync('rm', ['-f', join(replicaDir, file)]);
    for (const entry of readdirSync(join(replicaDir, 'pg_wal'))) if (entry !== 'archive_status') execFileSync('rm', ['-rf', join(replicaDir, 'pg_wal', entry)]);
    const owned = (path: string, content: string) => {
      writeFileSync(path, content, { mode: 0o600 });
      if (ids) chownSync(path, ids.uid, ids.gid);
    };
    owned(join(replicaDir, 'backup_label'), rows[0]!.labelfile);
    owned(join(replicaDir, 'standby.signal'), '');

    let partial = '';
    const logged = (text: string) => {
      const lines = (partial + text).split('\n');
      partial = lines.pop()!;
      // PostgreSQL indents a multi-line message's further lines with a tab.
      for (const line of lines) {
        if (line.startsWith('\t') && replicaLog.length) replicaLog[replicaLog.length - 1] += `\n${line}`;
        else replicaLog.push(line);
      }
    };
    const replicaFlags = [
      ...common,
      '-c', `primary_conninfo=host=127.0.0.1 port=${primaryPort} user=postgres password=${password} application_name=crosshot-replica`,
      '-c', 'hot_standby=on', '-c', `log_statement=${logStatements ? 'all' : 'none'}`,
    ];
    startReplica = async () => {
      replica = await startPostgres(bin, replicaDir, replicaPort, replicaFlags, logged);
    };
    await startReplica();
  } catch (error) {
    // Nothing left running by a start that failed half-way.
    await pool?.end();
    await stopServer(replica);
    await stopServer(primary);
    throw error;
  }
  const replicaUrl = urlOf(replicaPort, 'crosshot');

  return {
    primaryUrl: urlOf(primaryPort, 'crosshot'),
    pool: pool!,
    replicaUrl,
    replicaLog,
    statementsOnReplica: (marker) => replicaLog.filter((entry) => /LOG: {2}(statement|execute [^:]*):/.test(entry) && entry.includes(marker)).length,
    async onReplica<T extends pg.QueryResultRow>(sql: string) {
      const client = new pg.Client({ connectionString: replicaUrl });
      await client.connect();
      try {
        return (await client.query<T>(sql)).rows;
      } finally {
        await client.end();
      }
    },
    stopReplica: () => stopServer(replica),
    startReplica,
    async stop() {
      await pool!.end();
      await stopServer(replica);
      await stopServer(primary);
    },
  };
}
