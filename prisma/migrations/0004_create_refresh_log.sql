-- The gateway's own bookkeeping, outside the Crosshot contract: when each materialized view
-- was last refreshed and how long it took, so clients can tell how fresh the trend data is,
-- and an index that answers "has any period changed since?" without reading every period
-- (the background refresher asks that every minute).

-- Up Migration
CREATE TABLE gateway_materialized_view_refreshes (
    view_name     text PRIMARY KEY,
    refreshed_at  timestamptz NOT NULL,
    duration_ms   float8 NOT NULL
);

-- Finishing Steps
CREATE INDEX ix_analysis_periods_updated_at ON analysis_periods (updated_at);

-- Down Migration
DROP INDEX ix_analysis_periods_updated_at;
DROP TABLE gateway_materialized_view_refreshes;
