-- Temporal context columns on the existing tables (alembic revision 20260301_0200), and the
-- FKs from the junction tables to contents.

-- Up Migration

-- A bare FK violation names neither the table nor how many rows are at fault; an operator
-- adopting a long-lived database needs both to clean up before retrying.
CREATE FUNCTION pg_temp.assert_no_orphans(child regclass, child_column text, parent regclass)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    orphans bigint;
BEGIN
    EXECUTE format(
        'SELECT count(*) FROM %s c WHERE c.%I IS NOT NULL AND NOT EXISTS (SELECT 1 FROM %s p WHERE p.id = c.%I)',
        child, child_column, parent, child_column)
    INTO orphans;
    IF orphans > 0 THEN
        RAISE EXCEPTION '% row(s) of % have a % that does not exist in %', orphans, child, child_column, parent
            USING HINT = format('Delete or fix them first, e.g. DELETE FROM %s c WHERE NOT EXISTS (SELECT 1 FROM %s p WHERE p.id = c.%I);',
                                child, parent, child_column);
    END IF;
END
$$;

-- The new columns have no default or a constant one (now() is evaluated once), so no table is
-- rewritten. Their constraints are added NOT VALID and validated among the finishing steps
-- below: under `db migrate --concurrently` this transaction holds its write-blocking locks on
-- the base tables only for catalog changes, and the validating scans let writers through.
ALTER TABLE topics
    ADD COLUMN current_period_number integer,
    ADD COLUMN last_period_id uuid,
    ADD COLUMN total_periods integer NOT NULL DEFAULT 0,
    ADD COLUMN first_analysis_at timestamptz,
    ADD COLUMN avg_period_duration_hours float8,
    ADD CONSTRAINT fk_topics_last_period FOREIGN KEY (last_period_id) REFERENCES analysis_periods (id) ON DELETE SET NULL NOT VALID;

ALTER TABLE users
    ADD COLUMN current_period_number integer,
    ADD COLUMN last_period_id uuid,
    ADD COLUMN total_periods integer NOT NULL DEFAULT 0,
    ADD COLUMN first_analysis_at timestamptz,
    ADD COLUMN avg_period_duration_hours float8,
    ADD CONSTRAINT fk_users_last_period FOREIGN KEY (last_period_id) REFERENCES analysis_periods (id) ON DELETE SET NULL NOT VALID;

ALTER TABLE contents
    ADD COLUMN analysis_period_id uuid,
    ADD COLUMN published_at timestamptz,
    ADD COLUMN discovered_at timestamptz DEFAULT now(),
    ADD COLUMN relevance_score float8,
    ADD CONSTRAINT fk_contents_analysis_period FOREIGN KEY (analysis_period_id) REFERENCES analysis_periods (id) ON DELETE SET NULL NOT VALID,
    ADD CONSTRAINT ck_contents_relevance_score CHECK (relevance_score >= 0 AND relevance_score <= 1) NOT VALID;

ALTER TABLE tasks
    ADD COLUMN period_id uuid,
    ADD COLUMN effectiveness_id uuid,
    ADD COLUMN duration_seconds float8,
    ADD CONSTRAINT fk_tasks_period FOREIGN KEY (period_id) REFERENCES analysis_periods (id) ON DELETE SET NULL NOT VALID,
    ADD CONSTRAINT fk_tasks_effectiveness FOREIGN KEY (effectiveness_id) REFERENCES crawl_effectiveness (id) ON DELETE SET NULL NOT VALID;

ALTER TABLE chat_messages
    ADD COLUMN period_id uuid,
    ADD CONSTRAINT fk_chat_messages_period FOREIGN KEY (period_id) REFERENCES analysis_periods (id) ON DELETE SET NULL NOT VALID;

SELECT pg_temp.assert_no_orphans('period_content_snapshots', 'content_id', 'contents');
ALTER TABLE period_content_snapshots
    ADD CONSTRAINT fk_period_content_snapshots_content FOREIGN KEY (content_id) REFERENCES contents (id) ON DELETE CASCADE;

SELECT pg_temp.assert_no_orphans('event_contents', 'content_id', 'contents');
ALTER TABLE event_contents
    ADD CONSTRAINT fk_event_contents_content FOREIGN KEY (content_id) REFERENCES contents (id) ON DELETE CASCADE;

DROP FUNCTION pg_temp.assert_no_orphans(regclass, text, regclass);

-- Finishing Steps
ALTER TABLE topics VALIDATE CONSTRAINT fk_topics_last_period;
ALTER TABLE users VALIDATE CONSTRAINT fk_users_last_period;
ALTER TABLE contents VALIDATE CONSTRAINT fk_contents_analysis_period;
ALTER TABLE contents VALIDATE CONSTRAINT ck_contents_relevance_score;
ALTER TABLE tasks VALIDATE CONSTRAINT fk_tasks_period;
ALTER TABLE tasks VALIDATE CONSTRAINT fk_tasks_effectiveness;
ALTER TABLE chat_messages VALIDATE CONSTRAINT fk_chat_messages_period;
CREATE INDEX ix_topics_last_period ON topics (last_period_id);
CREATE INDEX ix_users_last_period ON users (last_period_id);
CREATE INDEX ix_contents_analysis_period ON contents (analysis_period_id);
CREATE INDEX ix_contents_published_at ON contents (published_at);
CREATE INDEX ix_contents_discovered_at ON contents (discovered_at);
CREATE INDEX ix_contents_relevance_score ON contents (relevance_score DESC NULLS LAST);
CREATE INDEX ix_tasks_period ON tasks (period_id);
CREATE INDEX ix_tasks_effectiveness ON tasks (effectiveness_id);
CREATE INDEX ix_chat_messages_period ON chat_messages (period_id);

-- Down Migration
ALTER TABLE event_contents DROP CONSTRAINT fk_event_contents_content;
ALTER TABLE period_content_snapshots DROP CONSTRAINT fk_period_content_snapshots_content;

DROP INDEX ix_chat_messages_period;
ALTER TABLE chat_messages DROP COLUMN period_id;

DROP INDEX ix_tasks_effectiveness;
DROP INDEX ix_tasks_period;
ALTER TABLE tasks
    DROP COLUMN duration_seconds,
    DROP COLUMN effectiveness_id,
    DROP COLUMN period_id;

DROP INDEX ix_contents_relevance_score;
DROP INDEX ix_contents_discovered_at;
DROP INDEX ix_contents_published_at;
DROP INDEX ix_contents_analysis_period;
ALTER TABLE contents
    DROP COLUMN relevance_score,
    DROP COLUMN discovered_at,
    DROP COLUMN published_at,
    DROP COLUMN analysis_period_id;

DROP INDEX ix_users_last_period;
ALTER TABLE users
    DROP COLUMN avg_period_duration_hours,
    DROP COLUMN first_analysis_at,
    DROP COLUMN total_periods,
    DROP COLUMN last_period_id,
    DROP COLUMN current_period_number;

DROP INDEX ix_topics_last_period;
ALTER TABLE topics
    DROP COLUMN avg_period_duration_hours,
    DROP COLUMN first_analysis_at,
    DROP COLUMN total_periods,
    DROP COLUMN last_period_id,
    DROP COLUMN current_period_number;
