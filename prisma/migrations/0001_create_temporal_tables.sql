-- Temporal context tables (alembic revision 20260301_0100).
-- analysis_periods is the timeline spine; the other four hang off it. The FKs from
-- period_content_snapshots.content_id and event_contents.content_id to contents belong to
-- migration 0002, as in the original alembic chain.

-- Up Migration

-- CREATE EXTENSION needs a privilege many managed databases withhold, and a bare
-- "permission denied" tells the operator nothing about what to ask for.
DO $$
DECLARE
    ext text;
BEGIN
    FOREACH ext IN ARRAY ARRAY['btree_gist', 'pg_trgm'] LOOP
        CONTINUE WHEN EXISTS (SELECT 1 FROM pg_extension WHERE extname = ext);
        IF NOT EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = ext) THEN
            RAISE EXCEPTION 'required extension "%" is not available on this PostgreSQL server', ext
                USING HINT = format('Install the PostgreSQL contrib package on the server, then run as a superuser: CREATE EXTENSION IF NOT EXISTS %s;', ext);
        END IF;
        BEGIN
            EXECUTE format('CREATE EXTENSION IF NOT EXISTS %I', ext);
        EXCEPTION WHEN insufficient_privilege THEN
            RAISE EXCEPTION 'permission denied to create extension "%"', ext
                USING HINT = format('Creating it needs superuser (rds_superuser on RDS, or CREATE privilege on the database for a trusted extension). Ask an administrator to run: CREATE EXTENSION IF NOT EXISTS %s;', ext);
        END;
    END LOOP;
END
$$;

CREATE TABLE analysis_periods (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    entity_type          varchar(20) NOT NULL,
    entity_id            uuid NOT NULL,
    period_start         timestamptz NOT NULL,
    period_end           timestamptz NOT NULL,
    analyzed_at          timestamptz NOT NULL DEFAULT now(),
    period_number        integer NOT NULL,
    duration_hours       float8 NOT NULL,
    status               varchar(20) NOT NULL DEFAULT 'active',
    superseded_by        uuid REFERENCES analysis_periods (id) ON DELETE SET NULL,
    supersession_reason  text,
    content_count        integer NOT NULL DEFAULT 0,
    summary              text NOT NULL,
    summary_short        text,
    insights             jsonb NOT NULL DEFAULT '{}',
    metrics              jsonb NOT NULL DEFAULT '{}',
    metrics_delta        jsonb NOT NULL DEFAULT '{}',
    tasks_dispatched     uuid[] NOT NULL DEFAULT '{}',
    tasks_summary        jsonb NOT NULL DEFAULT '{}',
    chat_summary         text,
    knowledge_version    integer NOT NULL DEFAULT 1,
    knowledge_doc        text COMPRESSION pglz,
    knowledge_diff       jsonb,
    quality_score        float8,
    completeness_score   float8,
    execution_log        jsonb DEFAULT '{}',
    created_at           timestamptz NOT NULL DEFAULT now(),
    updated_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_analysis_periods_entity_type CHECK (entity_type IN ('topic', 'user')),
    CONSTRAINT ck_analysis_periods_status CHECK (status IN ('active', 'draft', 'superseded', 'failed', 'archived')),
    CONSTRAINT ck_analysis_periods_end_after_start CHECK (period_end > period_start),
    CONSTRAINT ck_analysis_periods_quality_score CHECK (quality_score >= 0 AND quality_score <= 1),
    CONSTRAINT ck_analysis_periods_completeness_score CHECK (completeness_score >= 0 AND completeness_score <= 1)
);

CREATE TABLE period_content_snapshots (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    period_id            uuid NOT NULL REFERENCES analysis_periods (id) ON DELETE CASCADE,
    content_id           uuid NOT NULL,
    contribution_type    varchar(32) NOT NULL DEFAULT 'general',
    relevance_score      float8,
    text_snapshot        text,
    key_points_snapshot  jsonb,
    created_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_period_content_snapshots_relevance CHECK (relevance_score >= 0 AND relevance_score <= 1),
    CONSTRAINT uq_period_content_snapshots_period_content UNIQUE (period_id, content_id)
);

CREATE TABLE temporal_events (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    period_id          uuid NOT NULL REFERENCES analysis_periods (id) ON DELETE CASCADE,
    entity_type        varchar(20) NOT NULL,
    entity_id          uuid NOT NULL,
    event_type         varchar(32) NOT NULL,
    severity           varchar(16) NOT NULL DEFAULT 'info',
    title              varchar(256) NOT NULL,
    description        text NOT NULL,
    first_detected_at  timestamptz NOT NULL,
    last_updated_at    timestamptz NOT NULL DEFAULT now(),
    resolved_at        timestamptz,
    resolution_note    text,
    metadata           jsonb NOT NULL DEFAULT '{}',
    created_at         timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_temporal_events_entity_type CHECK (entity_type IN ('topic', 'user')),
    CONSTRAINT ck_temporal_events_severity CHECK (severity IN ('info', 'warning', 'critical'))
);

CREATE TABLE event_contents (
    event_id            uuid NOT NULL REFERENCES temporal_events (id) ON DELETE CASCADE,
    content_id          uuid NOT NULL,
    relevance_to_event  float8,
    added_at            timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (event_id, content_id),
    CONSTRAINT ck_event_contents_relevance CHECK (relevance_to_event >= 0 AND relevance_to_event <= 1)
);

CREATE TABLE crawl_effectiveness (
    id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    period_id            uuid NOT NULL REFERENCES analysis_periods (id) ON DELETE CASCADE,
    entity_type          varchar(20) NOT NULL,
    entity_id            uuid NOT NULL,
    platform             varchar(16) NOT NULL,
    query                text NOT NULL,
    total_found          integer NOT NULL DEFAULT 0,
    relevant_count       integer NOT NULL DEFAULT 0,
    high_value_count     integer NOT NULL DEFAULT 0,
    effectiveness_score  float8,
    avg_relevance        float8,
    coverage_ratio       float8,
    recommendations      text,
    created_at           timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT ck_crawl_effectiveness_entity_type CHECK (entity_type IN ('topic', 'user')),
    CONSTRAINT ck_crawl_effectiveness_effectiveness_score CHECK (effectiveness_score >= 0 AND effectiveness_score <= 1),
    CONSTRAINT ck_crawl_effectiveness_avg_relevance CHECK (avg_relevance >= 0 AND avg_relevance <= 1),
    CONSTRAINT ck_crawl_effectiveness_coverage_ratio CHECK (coverage_ratio >= 0 AND coverage_ratio <= 1)
);

-- Everything a database whose tables SQLAlchemy created may lack (see migrationScripts.ts):
-- the extensions were created above with a hint when privileges are missing; here they are
-- what adoption checks and creates.
-- Finishing Steps
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE EXTENSION IF NOT EXISTS pg_trgm;
ALTER TABLE analysis_periods ADD CONSTRAINT no_overlapping_periods EXCLUDE USING gist (entity_type WITH =, entity_id WITH =, tstzrange(period_start, period_end) WITH &&) WHERE (status = 'active');
CREATE UNIQUE INDEX uq_analysis_periods_active_number ON analysis_periods (entity_type, entity_id, period_number) WHERE status = 'active';
CREATE INDEX ix_analysis_periods_topic_entity ON analysis_periods (entity_id) WHERE entity_type = 'topic';
CREATE INDEX ix_analysis_periods_user_entity ON analysis_periods (entity_id) WHERE entity_type = 'user';
CREATE INDEX ix_analysis_periods_analyzed_at ON analysis_periods (analyzed_at);
CREATE INDEX ix_analysis_periods_status ON analysis_periods (status);
CREATE INDEX ix_period_content_snapshots_period_relevance ON period_content_snapshots (period_id, relevance_score DESC) INCLUDE (content_id, contribution_type, text_snapshot);
CREATE INDEX ix_period_content_snapshots_content ON period_content_snapshots (content_id);
CREATE INDEX ix_temporal_events_period ON temporal_events (period_id);
CREATE INDEX ix_temporal_events_entity_detected ON temporal_events (entity_type, entity_id, first_detected_at);
CREATE INDEX ix_temporal_events_entity_unresolved ON temporal_events (entity_type, entity_id, resolved_at) WHERE resolved_at IS NULL;
CREATE INDEX ix_temporal_events_event_type ON temporal_events (event_type);
CREATE INDEX ix_crawl_effectiveness_period ON crawl_effectiveness (period_id);
CREATE INDEX ix_crawl_effectiveness_entity_created ON crawl_effectiveness (entity_type, entity_id, created_at);
CREATE INDEX ix_crawl_effectiveness_platform ON crawl_effectiveness (platform);
CREATE INDEX ix_crawl_effectiveness_query_trgm ON crawl_effectiveness USING gin (query gin_trgm_ops);
CREATE INDEX ix_crawl_effectiveness_score ON crawl_effectiveness (effectiveness_score DESC NULLS LAST);

-- Down Migration
DROP TABLE crawl_effectiveness;
DROP TABLE event_contents;
DROP TABLE temporal_events;
DROP TABLE period_content_snapshots;
DROP TABLE analysis_periods;

-- The extensions may have been there before this migration, or be used by other
-- schemas since: drop each one only while nothing else depends on it.
DO $$
DECLARE
    ext text;
BEGIN
    FOREACH ext IN ARRAY ARRAY['pg_trgm', 'btree_gist'] LOOP
        BEGIN
            EXECUTE format('DROP EXTENSION IF EXISTS %I', ext);
        EXCEPTION WHEN dependent_objects_still_exist THEN
            RAISE NOTICE 'keeping extension % because other objects use it', ext;
        END;
    END LOOP;
END
$$;
