-- Events without a period ("pending"): Crosshot's analyst records alerts and notes between
-- cycles by inserting temporal_events without a period_id, and its next cycle attaches the
-- entity's pending events to the period it records (recordAnalysisPeriod does the same).
-- A migration of the gateway's own, beyond alembic's revisions.

-- Up Migration
ALTER TABLE temporal_events ALTER COLUMN period_id DROP NOT NULL;

-- The pending events of an entity are what every recorded period looks up.
-- Finishing Steps
CREATE INDEX ix_temporal_events_pending ON temporal_events (entity_type, entity_id) WHERE period_id IS NULL;

-- Down Migration
-- period_id cannot become NOT NULL while events are pending; nothing is deleted to make it so.
DO $$
DECLARE
    pending bigint;
BEGIN
    SELECT count(*) INTO pending FROM temporal_events WHERE period_id IS NULL;
    IF pending > 0 THEN
        RAISE EXCEPTION '% temporal event(s) have no period yet, so period_id cannot be made NOT NULL again', pending
            USING HINT = 'Record a period for their entities (recordAnalysisPeriod attaches them) or delete them, then roll back again.';
    END IF;
END
$$;
DROP INDEX ix_temporal_events_pending;
ALTER TABLE temporal_events ALTER COLUMN period_id SET NOT NULL;
