import { spawn } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../src/paths.js';
import { cleanUp } from './cleanup.js';
import { temporaryFolder } from './files.js';
import { systemTool, waitForReady } from './processes.js';
import { freePort } from './server.js';

/** Debian's nginx package (`.ci/run` installs it). */
export const nginxPath = systemTool('nginx', ['/usr/sbin/nginx', '/usr/bin/nginx']);

/**
 * nginx with the repository's deploy/nginx.conf as it ships, only its listening port and its
 * upstream instances' ports changed, in front of the gateways on `instancePorts`: its base URL.
 * Stopped when the test file ends.
 */
export async function startNginx(instancePorts: number[]): Promise<string> {
  const port = await freePort();
  const folder = temporaryFolder();
  chmodSync(folder, 0o755); // nginx's workers run as nobody when the tests run as root
  const shipped = readFileSync(join(projectRoot, 'deploy', 'nginx.conf'), 'utf8');
  const servers = [...shipped.matchAll(/^(\s*server 127\.0\.0\.1:)\d+(.*)$/gm)];
  if (servers.length !== 2 || !/^\s*listen 8080;$/m.test(shipped)) throw new Error('deploy/nginx.conf no longer has the listen 8080 and two upstream servers this test rewrites');
  const site = shipped
    .replace(/^\s*listen 8080;$/m, `    listen 127.0.0.1:${port};`)
    .replace(/^(\s*server 127\.0\.0\.1:)\d+(.*)$/gm, () => '')
    .replace(/(upstream crosshot_gateway \{\n)/, (head) => head + instancePorts.map((p) => `    server 127.0.0.1:${p}${servers[0]![2]}\n`).join(''));
  writeFileSync(join(folder, 'crosshot.conf'), site, { mode: 0o644 });
  const temp = (name: string) => `${name}_temp_path ${join(folder, name)};`;
  writeFileSync(
    join(folder, 'nginx.conf'),
    [
      'daemon off;',
      'worker_processes 1;',
      `pid ${join(folder, 'nginx.pid')};`,
      'error_log stderr warn;',
      'events { worker_connections 512; }',
      'http {',
      '  access_log off;',
      `  ${temp('client_body')} ${temp('proxy')} ${temp('fastcgi')} ${temp('uwsgi')} ${temp('scgi')}`,
      `  include ${join(folder, 'crosshot.conf')};`,
      '}',
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const child = spawn(nginxPath!, ['-e', 'stderr', '-p', folder, '-c', join(folder, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
  child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  cleanUp(async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGQUIT');
      await exited;
    }
  });
  const base = `http://127.0.0.1:${port}`;
  await waitForReady(`${base}/healthz`, Date.now() + 10_000, () => child.exitCode === null, () => output);
  return base;
}
