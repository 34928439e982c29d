import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { folderBlocking, startEmbeddedPostgres } from '../src/db/embedded.js';
import { temporaryFolder } from './helpers/files.js';

describe('the embedded PostgreSQL started as root from a folder the postgres user cannot enter', () => {
  const base = temporaryFolder();
  chmodSync(base, 0o755); // mkdtemp makes it 0700
  const closed = join(base, 'home-of-root');
  mkdirSync(join(closed, 'checkout'), { recursive: true });
  chmodSync(closed, 0o700);

  it('finds the folder that blocks the way, unless the user owns it', () => {
    expect(folderBlocking(join(closed, 'checkout', 'data'), 999_999)).toBe(closed);
    expect(folderBlocking(join(closed, 'checkout', 'data'), process.getuid!())).toBeNull();
    expect(folderBlocking(join(base, 'open', 'data'), 999_999)).toBeNull();
  });

  it.skipIf(process.getuid!() !== 0)('stops with a sentence saying what to do, and leaves no password file behind', async () => {
    const passwordFiles = () => readdirSync(tmpdir()).filter((name) => name.startsWith('pg-password-'));
    const before = passwordFiles();
    const start = startEmbeddedPostgres({ dataDir: join(closed, 'checkout', 'data'), port: 54_999 });
    await expect(start).rejects.toThrow(/cannot enter .*home-of-root on the way to its data folder/);
    await expect(start).rejects.toMatchObject({ hint: expect.stringContaining('EMBEDDED_PG_DATA_DIR') });
    expect(passwordFiles()).toEqual(before);
  });
});
