import { queryRows, sql, type Sql } from '../../db/sql.js';
import type { Queryable } from '../../db/queryable.js';
import { entityKeysTable, groupByKey, pagesByKey, type EntityKey } from '../common/entityKeys.js';
import { cursorCodec } from '../common/cursors.js';
import type { Page } from '../common/pages.js';

/** The content timeline of get_content_timeline(): newest period first, then relevance; one page per entity, many entities in one statement. */
export interface ContentTimelineEntry {
  contentId: string;
  periodId: string;
  periodNumber: number;
  contributionType: string;
  relevanceScore: number | null;
  textSnapshot: string | null;
  periodStart: Date;
  periodEnd: Date;
}

export interface ContentTimelineFilter {
  from?: Date | null;
  to?: Date | null;
  minRelevance: number;
}

const CONTENT_TIMELINE_CURSOR = cursorCodec('the content timeline', ['int', 'number', 'uuid']);

export function contentTimelineCursor(entry: ContentTimelineEntry): string {
  return CONTENT_TIMELINE_CURSOR.encode([entry.periodNumber, entry.relevanceScore ?? -1, entry.contentId]);
}

function timelineCall(filter: ContentTimelineFilter): Sql {
  return sql`get_content_timeline(k.entity_type, k.entity_id, ${filter.from ?? null}::timestamptz, ${filter.to ?? null}::timestamptz, ${filter.minRelevance}::float8)`;
}

export async function loadContentTimelinePages(
  db: Queryable,
  keys: EntityKey[],
  request: ContentTimelineFilter & { size: number; after?: string | null },
): Promise<Page<ContentTimelineEntry>[]> {
  const cursor = request.after ? CONTENT_TIMELINE_CURSOR.decode(request.after) : null;
  const rows = await queryRows<(ContentTimelineEntry & { ord: string })>(
    db,
    sql`
    SELECT k.ord, f.content_id AS "contentId", f.period_id AS "periodId", f.period_number AS "periodNumber",
           f.contribution_type AS "contributionType", f.relevance_score AS "relevanceScore",
           f.text_snapshot AS "textSnapshot", f.period_start AS "periodStart", f.period_end AS "periodEnd"
    FROM ${entityKeysTable(keys)}
    CROSS JOIN LATERAL (
      SELECT t.*, row_number() OVER () AS position
      FROM ${timelineCall(request)} t
      WHERE ${
        cursor
          ? sql`(t.period_number < ${cursor[0]}::int
                        OR (t.period_number = ${cursor[0]}::int AND (coalesce(t.relevance_score, -1) < ${cursor[1]}::float8
                            OR (coalesce(t.relevance_score, -1) = ${cursor[1]}::float8 AND t.content_id > ${cursor[2]}::uuid))))`
          : sql`true`
      }
      LIMIT ${request.size + 1}
    ) f
    ORDER BY k.ord, f.position`,
  );
  return pagesByKey(keys, rows, request.size);
}

export async function countContentTimeline(db: Queryable, keys: EntityKey[], filter: ContentTimelineFilter): Promise<number[]> {
  const rows = await queryRows<{ ord: string; total: number }>(
    db,
    sql`
    SELECT k.ord, (SELECT count(*)::int FROM ${timelineCall(filter)}) AS total
    FROM ${entityKeysTable(keys)}`,
  );
  return groupByKey(keys, rows).map((group) => group[0]?.total ?? 0);
}
