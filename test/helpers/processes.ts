import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { projectRoot } from '../../src/paths.js';
import { postgresIds, runsAsRoot } from '../../src/db/postgresProcess.js';
import { cleanUp } from './cleanup.js';
import { freePort } from './server.js';

/** Until `url` answers 200 (the process says why when it exits first). */
export async function waitForReady(url: string, deadline: number, running: () => boolean = () => true, why: () => string = () => ''): Promise<void> {
  while (Date.now() < deadline) {
    if (!running()) throw new Error(`the process ended before ${url} answered: ${why()}`);
    if (await fetch(url).then((response) => response.ok, () => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`${url} did not come up: ${why()}`);
}

export interface GatewayProcess {
  port: number;
  /** http://127.0.0.1:port */
  base: string;
  child: ChildProcess;
  exited: Promise<number | null>;
  /** What it wrote to stdout and stderr so far. */
  output(): string;
}

/**
 * The gateway as `npm start` runs it (src/main.ts), on `env` over the test's own, listening on a
 * free port; resolves once /readyz answers. Killed, if still running, when the test (file) ends.
 */
export async function startGatewayProcess(env: Record<string, string>, { ready = '/readyz' } = {}): Promise<GatewayProcess> {
  const port = Number(env.PORT ?? (await freePort()));
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'silent', TREND_REFRESH_ENABLED: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += String(chunk)));
  child.stderr!.on('data', (chunk: Buffer) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  cleanUp(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForReady(`${base}${ready}`, Date.now() + 30_000, () => child.exitCode === null, () => output);
  return { port, base, child, exited, output: () => output };
}

/**
 * A system program's path (`.ci/run` installs them), or null where the machine has none: the
 * tests that need it are skipped then, unless TEST_REQUIRE_SYSTEM_TOOLS is set (as in CI), when
 * a missing one fails the run instead of skipping silently.
 */
export function systemTool(name: string, candidates: string[]): string | null {
  const found = candidates.find((path) => existsSync(path)) ?? null;
  if (!found && process.env.TEST_REQUIRE_SYSTEM_TOOLS) throw new Error(`${name} is required (TEST_REQUIRE_SYSTEM_TOOLS is set) and none of ${candidates.join(', ')} exists`);
  return found;
}

/** Spawns a server program as the postgres user when root (PgBouncer refuses to run as root). */
export function spawnUnprivileged(binary: string, args: string[]): ChildProcess {
  return spawn(binary, args, { ...(runsAsRoot() ? postgresIds() : {}), stdio: ['ignore', 'pipe', 'pipe'] });
}
