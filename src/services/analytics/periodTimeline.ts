import { empty, queryRows, sql } from '../../db/sql.js';
import type { Queryable } from '../../db/queryable.js';
import { cursorCodec } from '../common/cursors.js';
import type { Page } from '../common/pages.js';

/** v_period_timeline across entities, most recently analysed first. */

export interface PeriodTimelineEntry {
  id: string;
  entityType: string;
  entityId: string;
  periodNumber: number;
  periodStart: Date;
  periodEnd: Date;
  analyzedAt: Date;
  durationHours: number;
  contentCount: number;
  summaryShort: string | null;
  qualityScore: number | null;
  completenessScore: number | null;
  unresolvedEventCount: number;
  /** Crawl-effectiveness records (Crosshot's crawl_task_count). */
  crawlTaskCount: number;
  linkedTaskCount: number;
  /** analyzed_at at full (microsecond) precision, for the cursor. */
  analyzedAtExact: string;
}

/**
 * The cursor keeps analyzed_at to the microsecond, so the page order can be the plain
 * (analyzed_at, id) that the analyzed_at index serves.
 */
const PERIOD_TIMELINE_CURSOR = cursorCodec('the period timeline', ['timestamp', 'uuid']);

export function periodTimelineCursor(entry: Pick<PeriodTimelineEntry, 'analyzedAtExact' | 'id'>): string {
  return PERIOD_TIMELINE_CURSOR.encode([entry.analyzedAtExact, entry.id]);
}

/** v_period_timeline across entities, most recently analysed first. */
export async function periodTimelinePage(
  db: Queryable,
  request: { entityType?: string | null; size: number; after?: string | null },
): Promise<Page<PeriodTimelineEntry>> {
  const cursor = request.after ? PERIOD_TIMELINE_CURSOR.decode(request.after) : null;
  // The page is chosen on the table (an index-friendly sort of narrow rows) before the view's
  // per-row counts are computed, so they are computed for the page only.
  const rows = await queryRows<PeriodTimelineEntry>(
    db,
    sql`
    SELECT v.id, v.entity_type AS "entityType", v.entity_id AS "entityId", v.period_number AS "periodNumber",
           v.period_start AS "periodStart", v.period_end AS "periodEnd", v.analyzed_at AS "analyzedAt",
           v.duration_hours AS "durationHours", v.content_count AS "contentCount", v.summary_short AS "summaryShort",
           v.quality_score AS "qualityScore", v.completeness_score AS "completenessScore",
           v.unresolved_event_count::int AS "unresolvedEventCount", v.crawl_task_count::int AS "crawlTaskCount",
           v.tasks_linked_count::int AS "linkedTaskCount",
           to_char(v.analyzed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "analyzedAtExact"
    FROM (
      SELECT ap.id FROM analysis_periods ap
      WHERE ap.status = 'active' ${request.entityType ? sql`AND ap.entity_type = ${request.entityType}` : empty}
        ${cursor ? sql`AND (ap.analyzed_at, ap.id) < (${cursor[0]}::timestamptz, ${cursor[1]}::uuid)` : empty}
      ORDER BY ap.analyzed_at DESC, ap.id DESC
      LIMIT ${request.size + 1}
    ) page
    JOIN v_period_timeline v ON v.id = page.id
    ORDER BY v.analyzed_at DESC, v.id DESC`,
  );
  return { nodes: rows.slice(0, request.size), hasNextPage: rows.length > request.size, totalCount: 0 };
}

/** The view's rows are the active periods: counted on the table, without the view's per-row counts. */
export async function countPeriodTimeline(db: Queryable, entityType: string | null | undefined): Promise<number> {
  const rows = await queryRows<{ total: number }>(
    db,
    sql`
    SELECT count(*)::int AS total FROM analysis_periods ap
    WHERE ap.status = 'active' ${entityType ? sql`AND ap.entity_type = ${entityType}` : empty}`,
  );
  return rows[0]?.total ?? 0;
}
