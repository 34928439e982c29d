import type pg from 'pg';
import { inTransaction } from '../db/transaction.js';
import type { EntityKind } from './entityKeys.js';


const ENTITY_TABLES: Record<EntityKind, 'topics' | 'users'> = { topic: 'topics', user: 'users' };

/**
 * The guide's post-migration step 2 ("Initialize Period 0 for Existing Entities"): a legacy
 * period 0 for every entity that has content but no period, linked back from the entity.
 * The guide spells it out for topics only; users get the same. The end is kept after the
 * start so that an entity crawled at its creation instant still satisfies the CHECK.
 */
function periodZeroStatements(kind: EntityKind): [insert: string, link: string] {
  const table = ENTITY_TABLES[kind];
  const insert = `
    INSERT INTO analysis_periods (
        entity_type, entity_id, period_number, period_start, period_end, analyzed_at,
        duration_hours, content_count, summary, insights, metrics)
    SELECT '${kind}', e.id, 0, e.created_at, bounds.period_end, bounds.period_end,
           EXTRACT(EPOCH FROM (bounds.period_end - e.created_at)) / 3600.0,
           e.total_contents,
           COALESCE(e.last_summary, 'Legacy period - no summary available'),
           '{}'::jsonb, '{}'::jsonb
    FROM ${table} e
    CROSS JOIN LATERAL (
        SELECT GREATEST(COALESCE(e.last_crawl_at, now()), e.created_at + interval '1 second') AS period_end
    ) bounds
    WHERE e.total_contents > 0
      AND NOT EXISTS (SELECT 1 FROM analysis_periods ap WHERE ap.entity_type = '${kind}' AND ap.entity_id = e.id)`;
  const link = `
    UPDATE ${table} e
    SET current_period_number = 0, last_period_id = ap.id, total_periods = 1, first_analysis_at = ap.analyzed_at,
        avg_period_duration_hours = ap.duration_hours
    FROM analysis_periods ap
    WHERE ap.entity_type = '${kind}' AND ap.entity_id = e.id AND ap.period_number = 0 AND ap.status = 'active'
      AND e.current_period_number IS NULL`;
  return [insert, link];
}

/** Idempotent, in one transaction; returns the periods created per entity kind. */
export async function initializePeriodZero(
  pool: pg.Pool,
  kinds: EntityKind[] = ['topic', 'user'],
): Promise<Record<EntityKind, number>> {
  return inTransaction(pool, async (client) => {
    const created: Record<EntityKind, number> = { topic: 0, user: 0 };
    for (const kind of kinds) {
      const [insert, link] = periodZeroStatements(kind);
      created[kind] = (await client.query(insert)).rowCount ?? 0;
      await client.query(link);
    }
    return created;
  });
}
