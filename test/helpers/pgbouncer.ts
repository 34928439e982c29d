import { chmodSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import pg from 'pg';
import { cleanUp } from './cleanup.js';
import { temporaryFolder } from './files.js';
import { spawnUnprivileged, systemTool } from './processes.js';
import { freePort } from './server.js';

/** Debian's pgbouncer package (`.ci/run` installs it). */
export const pgbouncerPath = systemTool('pgbouncer', ['/usr/sbin/pgbouncer', '/usr/bin/pgbouncer']);

/**
 * PgBouncer in front of the database at `databaseUrl`, in transaction mode (a server connection
 * per transaction, shared by every client): the URL to connect through it. Stopped when the test
 * file ends. As the README's pooler section says, the gateway's startup parameter
 * statement_timeout is one PgBouncer before 1.20 cannot pass on: it is ignored here.
 */
export async function startPgBouncer(databaseUrl: string, { poolSize = 4 } = {}): Promise<{ url: string; transactions(): Promise<number> }> {
  const target = new URL(databaseUrl);
  const database = target.pathname.slice(1);
  const port = await freePort();
  const folder = temporaryFolder();
  chmodSync(folder, 0o755); // PgBouncer runs as the postgres user when the tests run as root
  const server = [`host=${target.hostname}`, `port=${target.port || 5432}`, `dbname=${database}`, `user=${decodeURIComponent(target.username) || 'postgres'}`];
  if (target.password) server.push(`password=${decodeURIComponent(target.password)}`);
  const ini = join(folder, 'pgbouncer.ini');
  writeFileSync(
    ini,
    [
      '[databases]',
      `${database} = ${server.join(' ')}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      // Clients are not authenticated here (the test's own loopback); the server connection is.
      'auth_type = any',
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 500',
      'ignore_startup_parameters = statement_timeout',
      'stats_users = postgres',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const child = spawnUnprivileged(pgbouncerPath!, [ini]);
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += String(chunk)));
  child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanUp(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGINT');
      await exited;
    }
  });
  for (const deadline = Date.now() + 10_000; ; ) {
    const listening = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => {
        resolve(true);
        socket.end();
      }).on('error', () => resolve(false));
    });
    if (listening) break;
    if (child.exitCode !== null || Date.now() > deadline) throw new Error(`pgbouncer did not start: ${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  const through = new URL(databaseUrl);
  through.port = String(port);
  through.hostname = '127.0.0.1';
  return {
    url: through.toString(),
    /** Transactions PgBouncer has passed to the database so far (its admin console's SHOW STATS). */
    async transactions() {
      const admin = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'pgbouncer' });
      await admin.connect();
      try {
        const { rows } = await admin.query<{ database: string; total_xact_count: string }>('SHOW STATS');
        return Number(rows.find((row) => row.database === database)?.total_xact_count ?? 0);
      } finally {
        await admin.end();
      }
    },
  };
}
