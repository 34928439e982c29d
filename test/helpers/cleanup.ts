import { afterAll, onTestFinished } from 'vitest';

/**
 * Runs `release` when what created the resource ends: the test, when called inside one, else the
 * test file. (A hook registered with afterAll from inside a running test never runs: databases
 * made inside tests used to stay behind.)
 */
export function cleanUp(release: () => unknown): void {
  try {
    onTestFinished(async () => void (await release()));
  } catch {
    afterAll(async () => void (await release()));
  }
}
