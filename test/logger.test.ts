import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths.js';

/** What a process that logs one line with the gateway's logger prints. */
function logged(pretty: boolean): string {
  const script = `import('./src/logger.ts').then(({ createLogger }) => createLogger('info', { pretty: ${pretty} }).info({ requestId: 'r-1', operation: 'Q' }, 'served'))`;
  return execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: projectRoot, encoding: 'utf8' });
}

describe('logs', () => {
  it('are JSON lines for a log collector', () => {
    const line = JSON.parse(logged(false).trim());
    expect(line).toMatchObject({ level: 30, service: 'crosshot-gateway', requestId: 'r-1', operation: 'Q', msg: 'served' });
  });

  it('are readable lines at a terminal', () => {
    // eslint-disable-next-line no-control-regex
    const text = logged(true).replace(/\x1b\[[0-9;]*m/g, '');
    expect(text).toMatch(/INFO.*served/);
    expect(text).toMatch(/requestId: "r-1"/);
    expect(() => JSON.parse(text.trim())).toThrow();
  });
});
