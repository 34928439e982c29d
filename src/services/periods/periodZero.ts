import type pg from 'pg';
import { inTransaction } from '../../db/transaction.js';
import type { EntityKind } from '../common/entityKeys.js';


const ENTITY_TABLES: Record<EntityKind, 'topics' | 'users'> = { topic: 'topics', user: 'users' };

/**
 * The guide's post-migration step 2 ("Initialize Period 0 for Existing Entities"): a legacy
 * period 0 for every entity that has content but no period. The guide's second statement,
 * linking the entity back to it, is what the database's period trigger does for every insert
 * (refresh_entity_period_stats, migration 0008).
 * The guide spells it out for topics only; users get the same. The end is kept after the
 * start so that an entity crawled at its creation instant still satisfies the CHECK.
 */
function periodZeroInsert(kind: EntityKind): string {
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
  return insert;
}

/** Idempotent, in one transaction; returns the periods created per entity kind. */
export async function initializePeriodZero(
  pool: pg.Pool,
  kinds: EntityKind[] = ['topic', 'user'],
): Promise<Record<EntityKind, number>> {
  return inTransaction(pool, async (client) => {
    const created: Record<EntityKind, number> = { topic: 0, user: 0 };
    for (const kind of kinds) {
      created[kind] = (await client.query(periodZeroInsert(kind))).rowCount ?? 0;
    }
    return created;
  });
}
