/** The longest delay one Node timer holds: a longer one fires at once (with a TimeoutOverflowWarning). */
const LONGEST_TIMER_MS = 2_147_483_647;

export interface LongTimeout {
  clear(): void;
}

/**
 * Calls `run` at `at` (ms since the epoch), however far ahead that is: a delay longer than one
 * Node timer holds is waited out in steps. The timer does not keep the process alive.
 */
export function timeoutAt(at: number, run: () => void): LongTimeout {
  let timer: NodeJS.Timeout | undefined;
  const arm = () => {
    const delay = at - Date.now();
    if (delay <= 0) {
      run();
      return;
    }
    timer = setTimeout(delay > LONGEST_TIMER_MS ? arm : run, Math.min(delay, LONGEST_TIMER_MS));
    timer.unref();
  };
  arm();
  return { clear: () => clearTimeout(timer) };
}
