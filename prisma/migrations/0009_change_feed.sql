-- The change feed behind the GraphQL subscriptions: one small row per change to what clients
-- subscribe to, written by triggers in the writer's own transaction, so that every committed
-- write is seen whoever made it (the gateway, or Crosshot's analyst writing SQL directly):
--   * period_created: a period inserted as active, or becoming active (a replacement, a draft
--     promoted);
--   * event_detected / event_updated / event_resolved: a temporal event inserted, changed, or
--     given a resolved_at;
--   * trend_refreshed: mv_period_metrics_trend was refreshed (its refresh log row written), by
--     any gateway instance; it has no entity or row.
-- Each row carries the writing transaction's id (xid8). Readers deliver a row once its
-- transaction is visible in their snapshot and was not in the previous one, so a long
-- transaction that commits late is delivered when it commits, never skipped (ids and
-- timestamps do not follow commit order). NOTIFY only wakes readers; the rows are the data.
-- A notifying transaction holds a cluster-wide lock through its commit, which serialises the
-- commits of concurrent writers, so change_feed_wake() sends the wake-up (an empty payload) from
-- the first writer in each 10 ms slot only; a reader woken reads again shortly after, while it
-- finds changes or sees writers still running, so the writers of the slot that committed later
-- are read too (and the poll interval bounds the rest).
-- The trigger functions are SECURITY DEFINER: a writer needs no privilege on the feed's objects, and
-- they have nothing that can refuse a row (no foreign key, no CHECK, no cast), so a writer's
-- transaction fails here only if the database itself does.
-- A migration of the gateway's own, beyond alembic's revisions.

-- Up Migration
CREATE TABLE change_feed (
    position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    xid            xid8 NOT NULL DEFAULT pg_current_xact_id(),
    kind           varchar(16) NOT NULL,
    entity_type    varchar(20),
    entity_id      uuid,
    row_id         uuid,
    period_number  integer,
    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
-- Readers look up the transactions not yet visible to them: a range of recent xids.
CREATE INDEX ix_change_feed_xid ON change_feed (xid);
-- Pruning finds what is older than the retention.
CREATE INDEX ix_change_feed_recorded_at ON change_feed (recorded_at);

-- How far pruning has gone: every row whose xid is at most pruned_through is deleted, so a
-- cursor whose snapshot did not yet see such a transaction cannot be resumed exactly.
CREATE TABLE change_feed_horizon (
    singleton       boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    pruned_through  xid8
);
INSERT INTO change_feed_horizon (singleton, pruned_through) VALUES (true, NULL);

-- The last 10 ms slot in which a writer sent the wake-up: a sequence, because reading and setting
-- it take no lock that lasts until commit (and a rolled-back writer's setval stays, harmlessly).
CREATE SEQUENCE change_feed_wake_slot AS bigint MINVALUE 0 START 0;

-- Called from the SECURITY DEFINER trigger functions below, so it runs with their rights and
-- search_path already (a SET clause of its own would cost every writer's statement again).
CREATE FUNCTION change_feed_wake()
RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    slot bigint := floor(extract(epoch FROM clock_timestamp()) * 100);
BEGIN
    IF slot > (SELECT last_value FROM change_feed_wake_slot) THEN
        PERFORM setval('change_feed_wake_slot', slot);
        PERFORM pg_notify('crosshot_change_feed', '');
    END IF;
END
$$;

CREATE FUNCTION change_feed_periods_inserted()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO change_feed (kind, entity_type, entity_id, row_id, period_number)
    SELECT 'period_created', n.entity_type, n.entity_id, n.id, n.period_number
    FROM inserted n WHERE n.status = 'active' ORDER BY n.period_number;
    IF FOUND THEN
        PERFORM change_feed_wake();
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION change_feed_period_activated()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO change_feed (kind, entity_type, entity_id, row_id, period_number)
    VALUES ('period_created', NEW.entity_type, NEW.entity_id, NEW.id, NEW.period_number);
    PERFORM change_feed_wake();
    RETURN NULL;
END
$$;

CREATE FUNCTION change_feed_events_inserted()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO change_feed (kind, entity_type, entity_id, row_id, period_number)
    SELECT 'event_detected', n.entity_type, n.entity_id, n.id, ap.period_number
    FROM inserted n LEFT JOIN analysis_periods ap ON ap.id = n.period_id;
    IF FOUND THEN
        PERFORM change_feed_wake();
    END IF;
    RETURN NULL;
END
$$;

CREATE FUNCTION change_feed_event_changed()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO change_feed (kind, entity_type, entity_id, row_id, period_number)
    VALUES (CASE WHEN OLD.resolved_at IS NULL AND NEW.resolved_at IS NOT NULL THEN 'event_resolved' ELSE 'event_updated' END,
            NEW.entity_type, NEW.entity_id, NEW.id,
            (SELECT ap.period_number FROM analysis_periods ap WHERE ap.id = NEW.period_id));
    PERFORM change_feed_wake();
    RETURN NULL;
END
$$;

CREATE FUNCTION change_feed_trend_refreshed()
RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
    INSERT INTO change_feed (kind) VALUES ('trend_refreshed');
    PERFORM change_feed_wake();
    RETURN NULL;
END
$$;

-- Once per statement for inserts, so a bulk insert costs one feed statement.
CREATE TRIGGER tr_analysis_periods_change_feed_insert
    AFTER INSERT ON analysis_periods
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION change_feed_periods_inserted();
-- Only a change of status to active: the content counts and deltas every recorded period
-- updates right after its insert do not reach the function.
CREATE TRIGGER tr_analysis_periods_change_feed_activate
    AFTER UPDATE OF status ON analysis_periods
    FOR EACH ROW
    WHEN (NEW.status = 'active' AND OLD.status IS DISTINCT FROM 'active')
    EXECUTE FUNCTION change_feed_period_activated();
CREATE TRIGGER tr_temporal_events_change_feed_insert
    AFTER INSERT ON temporal_events
    REFERENCING NEW TABLE AS inserted
    FOR EACH STATEMENT EXECUTE FUNCTION change_feed_events_inserted();
-- An UPDATE that changes nothing (a retried write) is not a change.
CREATE TRIGGER tr_temporal_events_change_feed_update
    AFTER UPDATE ON temporal_events
    FOR EACH ROW
    WHEN (OLD.* IS DISTINCT FROM NEW.*)
    EXECUTE FUNCTION change_feed_event_changed();

CREATE TRIGGER tr_view_refreshes_change_feed
    AFTER INSERT OR UPDATE ON gateway_materialized_view_refreshes
    FOR EACH ROW
    WHEN (NEW.view_name = 'mv_period_metrics_trend')
    EXECUTE FUNCTION change_feed_trend_refreshed();

-- Down Migration
DROP TRIGGER tr_view_refreshes_change_feed ON gateway_materialized_view_refreshes;
DROP FUNCTION change_feed_trend_refreshed();
DROP TRIGGER tr_temporal_events_change_feed_update ON temporal_events;
DROP TRIGGER tr_temporal_events_change_feed_insert ON temporal_events;
DROP TRIGGER tr_analysis_periods_change_feed_activate ON analysis_periods;
DROP TRIGGER tr_analysis_periods_change_feed_insert ON analysis_periods;
DROP FUNCTION change_feed_event_changed();
DROP FUNCTION change_feed_events_inserted();
DROP FUNCTION change_feed_period_activated();
DROP FUNCTION change_feed_periods_inserted();
DROP FUNCTION change_feed_wake();
DROP SEQUENCE change_feed_wake_slot;
DROP TABLE change_feed_horizon;
DROP TABLE change_feed;
