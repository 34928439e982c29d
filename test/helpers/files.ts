import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';

/** A folder of this test file's own in the system temporary folder, removed (with what is in it) when the file ends. */
export function temporaryFolder(prefix = 'crosshot-test-'): string {
  const folder = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** A file holding `content` in a temporary folder removed when the test file ends. */
export function temporaryFile(name: string, content: string, folder = temporaryFolder()): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}
