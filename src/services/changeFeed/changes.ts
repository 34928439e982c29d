import { sql } from '../../db/sql.js';
import type { Queryable } from '../../db/queryable.js';
import { badUserInput, GatewayError } from '../../errors.js';
import type { EntityKind } from '../common/entityKeys.js';

/**
 * The change feed (migration 0009): rows written by triggers in each writer's transaction,
 * read in commit-safe order through PostgreSQL snapshots.
 *
 * A snapshot says which transactions had committed when it was taken: those below its xmin,
 * and those below its xmax that are not in its list of running ones. Snapshots taken later see
 * everything earlier ones saw, so a reader that keeps the snapshot of its last read delivers,
 * at each read, exactly the rows whose transactions are visible now and were not then: a long
 * transaction is delivered when it commits, whatever its ids or timestamps say.
 *
 * A position on the feed (the cursor each delivered change carries) is a triple
 * (seen, batch, position): every row visible in `seen`, plus the rows of the batch `batch`
 * (visible in it, not in `seen`) up to `position` in log order.
 */

export type ChangeKind = 'period_created' | 'event_detected' | 'event_updated' | 'event_resolved' | 'trend_refreshed';

/** A change; trend_refreshed has no entity or row (the others always do). */
export interface Change {
  position: string;
  kind: ChangeKind;
  entityType: EntityKind;
  entityId: string;
  rowId: string;
  periodNumber: number | null;
  recordedAt: Date;
}

/** A pg_snapshot: its text form (xmin:xmax:running,...) and the parts the checks here read. */
export interface Snapshot {
  text: string;
  xmin: bigint;
  xmax: bigint;
  /** The transactions in progress when it was taken (a set: cursors are checked in linear time). */
  running: ReadonlySet<bigint>;
}

export interface FeedPosition {
  seen: Snapshot;
  batch: Snapshot;
  /** Log position of the last row of `batch` taken (0: none yet). */
  position: bigint;
}

const SNAPSHOT = /^(\d{1,19}):(\d{1,19}):((?:\d{1,19}(?:,\d{1,19})*)?)$/;
/** xid8 and the log positions are int8 in SQL. */
const MAX_INT8 = 9_223_372_036_854_775_807n;

export function parseSnapshot(text: string): Snapshot | null {
  const match = SNAPSHOT.exec(text);
  if (!match) return null;
  const [xmin, xmax] = [BigInt(match[1]!), BigInt(match[2]!)];
  const list = match[3] ? match[3].split(',').map(BigInt) : [];
  if (xmax > MAX_INT8 || xmin > xmax || list.some((xid) => xid < xmin || xid >= xmax)) return null;
  return { text, xmin, xmax, running: new Set(list) };
}

function visibleIn(snapshot: Snapshot, xid: bigint): boolean {
  return xid < snapshot.xmin || (xid < snapshot.xmax && !snapshot.running.has(xid));
}

/** `earlier` was taken no later than `later`: everything it saw, `later` sees. */
export function isNotNewer(earlier: Snapshot, later: Snapshot): boolean {
  if (earlier.xmax > later.xmax) return false;
  for (const xid of later.running) if (visibleIn(earlier, xid)) return false;
  return true;
}

/** The position after the whole of `snapshot`: nothing of a later batch taken yet. */
export function positionAt(snapshot: Snapshot): FeedPosition {
  return { seen: snapshot, batch: snapshot, position: 0n };
}

const CURSOR_PREFIX = 'cf1.';
/**
 * The longest cursor accepted: two snapshots of about 12,000 running transactions each, more
 * than a server's max_connections allows in practice. Longer input is not a cursor of ours.
 */
const MAX_CURSOR_LENGTH = 256 * 1024;

export function encodeFeedCursor(at: FeedPosition): string {
  return CURSOR_PREFIX + Buffer.from(`${at.seen.text}|${at.batch.text}|${at.position}`).toString('base64url');
}

export function decodeFeedCursor(cursor: string, argument: string): FeedPosition {
  const invalid = () => badUserInput(`\`${argument}\` is not a change-feed cursor returned by this API (extensions.cursor or the SSE id)`, argument);
  if (!cursor.startsWith(CURSOR_PREFIX) || cursor.length > MAX_CURSOR_LENGTH) throw invalid();
  const parts = Buffer.from(cursor.slice(CURSOR_PREFIX.length), 'base64url').toString('utf8').split('|');
  if (parts.length !== 3 || !/^\d{1,19}$/.test(parts[2]!) || BigInt(parts[2]!) > MAX_INT8) throw invalid();
  const [seen, batch] = [parseSnapshot(parts[0]!), parseSnapshot(parts[1]!)];
  if (!seen || !batch || !isNotNewer(seen, batch)) throw invalid();
  return { seen, batch, position: BigInt(parts[2]!) };
}

interface ChangeRow {
  position: string;
  kind: ChangeKind;
  entity_type: EntityKind;
  entity_id: string;
  row_id: string;
  period_number: number | null;
  recorded_at: Date;
  snapshot: string;
}

export interface ChangePage {
  /** The snapshot the rows were read up to: `upTo` when given, else the statement's own. */
  upTo: Snapshot;
  changes: Change[];
}

/**
 * The rows visible in `upTo` (the statement's own snapshot when null) that were not visible in
 * `from`, after log position `after`, in log order: one statement, an index range over the
 * transactions `from` had not seen.
 */
export async function readChanges(db: Queryable, from: Snapshot, upTo: Snapshot | null, after: bigint, limit: number): Promise<ChangePage> {
  // Unnamed, so planned with its values each time: the xid range is selective only with its
  // actual bound (a generic plan would walk the whole log by position instead).
  const statement = sql`
    SELECT c.position::text AS position, c.kind, c.entity_type, c.entity_id, c.row_id, c.period_number, c.recorded_at, s.snap::text AS snapshot
    FROM (SELECT COALESCE(${upTo?.text ?? null}::pg_snapshot, pg_current_snapshot()) AS snap) s
    LEFT JOIN LATERAL (
      SELECT * FROM change_feed c
      WHERE c.xid >= pg_snapshot_xmin(${from.text}::pg_snapshot)
        AND NOT pg_visible_in_snapshot(c.xid, ${from.text}::pg_snapshot)
        AND pg_visible_in_snapshot(c.xid, s.snap)
        AND c.position > ${after.toString()}::bigint
      ORDER BY c.position
      LIMIT ${limit}
    ) c ON true`;
  const { rows } = await db.query<ChangeRow>(statement.text, statement.values as unknown[]);
  const upToSnapshot = upTo ?? parseSnapshot(rows[0]!.snapshot)!;
  const changes = rows
    .filter((row) => row.position !== null)
    .map((row) => ({
      position: row.position,
      kind: row.kind,
      entityType: row.entity_type,
      entityId: row.entity_id,
      rowId: row.row_id,
      periodNumber: row.period_number,
      recordedAt: row.recorded_at,
    }));
  return { upTo: upToSnapshot, changes };
}

/** The snapshot now: where a reader that starts delivering from this moment stands. */
export async function currentSnapshot(db: Queryable): Promise<Snapshot> {
  const { rows } = await db.query<{ snapshot: string }>('SELECT pg_current_snapshot()::text AS snapshot');
  return parseSnapshot(rows[0]!.snapshot)!;
}

/**
 * Checks what a cursor claims against the database, before anything waits on it or reads for it:
 * refused when it is ahead of the database (its snapshot sees transactions that have not begun:
 * not a cursor this API returned), and when its changes may have been pruned (some row not yet
 * visible to its `seen` snapshot could be gone, so resuming would silently skip it).
 */
export async function assertResumable(db: Queryable, at: FeedPosition, argument: string): Promise<void> {
  const { rows } = await db.query<{ pruned_through: string | null; now: string }>(
    'SELECT pruned_through::text, pg_current_snapshot()::text AS now FROM change_feed_horizon',
  );
  const now = parseSnapshot(rows[0]!.now)!;
  if (!isNotNewer(at.batch, now)) {
    throw badUserInput(`\`${argument}\` lies ahead of the database: it is not a change-feed cursor this API returned (subscribe without one, or with the last one received)`, argument);
  }
  const prunedThrough = rows[0]?.pruned_through;
  if (prunedThrough !== null && prunedThrough !== undefined && at.seen.xmin <= BigInt(prunedThrough)) {
    throw new GatewayError('CURSOR_EXPIRED', `\`${argument}\` points to changes older than the change feed keeps: load the current state again, then subscribe without a cursor`, {
      argument,
    });
  }
}
