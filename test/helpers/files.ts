import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import { cleanUp } from './cleanup.js';

/** The prefix of this run's temporary folders: the global teardown checks none is left. */
export const temporaryFolderPrefix = (runId: string) => `crosshot-test-${runId}-`;

/** A folder in the system temporary folder, removed (with what is in it) when the test (or test file) that made it ends. */
export function temporaryFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), temporaryFolderPrefix(inject('runId'))));
  cleanUp(() => rmSync(folder, { recursive: true, force: true }));
  return folder;
}

/** A file holding `content` in a temporary folder removed when the test file ends. */
export function temporaryFile(name: string, content: string, folder = temporaryFolder()): string {
  const path = join(folder, name);
  writeFileSync(path, content);
  return path;
}
