import { isoTimestamp } from '../../db/timestamp.js';
import { badUserInput } from '../../errors.js';

/** A relative window as clients send it: the last N hours, days, weeks or months ("36h", "30d", "4w", "3mo"). */
export interface RelativeWindow {
  last: string;
}

export interface TimeRange {
  from: Date | null;
  to: Date | null;
}

const RELATIVE = /^(\d{1,6})(h|d|w|mo)$/;
const UNIT_MS: Record<string, number> = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };

/**
 * The one time-window rule: the range a field is asked for. `from`/`to` when given (they take
 * precedence; `from` must not be after `to`), else `window` counted back from `now` (the
 * request's clock, read once per request, so every field of a dashboard's request ends at the
 * same instant), else open bounds. Months are calendar months in UTC: "1mo" on 15 March starts on
 * 15 February, on 31 March on the last day of February.
 */
export function resolveRange(args: { from?: Date | null; to?: Date | null; window?: RelativeWindow | null }, now: Date = new Date(), argument = 'window'): TimeRange {
  if (args.from || args.to || !args.window) {
    const range = { from: args.from ?? null, to: args.to ?? null };
    if (range.from && range.to && range.from.getTime() > range.to.getTime()) {
      throw badUserInput(`\`from\` (${isoTimestamp(range.from)}) must not be after \`to\` (${isoTimestamp(range.to)})`, 'from');
    }
    return range;
  }
  const match = RELATIVE.exec(args.window.last.trim());
  const amount = match ? Number(match[1]) : 0;
  if (!match || amount < 1) {
    throw badUserInput(`\`${argument}.last\` must be a positive number and a unit: h (hours), d (days), w (weeks) or mo (months), as "36h", "30d", "4w" or "3mo"; got "${args.window.last}"`, `${argument}.last`);
  }
  const unit = match[2]!;
  const from = unit === 'mo' ? monthsBefore(now, amount) : new Date(now.getTime() - amount * UNIT_MS[unit]!);
  if (!(from.getUTCFullYear() >= 1)) {
    throw badUserInput(`\`${argument}.last\` reaches back before the year 0001 ("${args.window.last}"): ask for a shorter window`, `${argument}.last`);
  }
  return { from, to: now };
}

/** The same instant `months` calendar months earlier (UTC), on the month's last day when it has fewer days. */
function monthsBefore(now: Date, months: number): Date {
  const target = new Date(now.getTime());
  const day = target.getUTCDate();
  target.setUTCDate(1);
  target.setUTCMonth(target.getUTCMonth() - months);
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return target;
}
