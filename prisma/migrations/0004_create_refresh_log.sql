-- The gateway's own bookkeeping, outside the Crosshot contract: when each materialized view
-- was last refreshed and how long it took, so clients can tell how fresh the trend data is.

-- Up Migration
CREATE TABLE gateway_materialized_view_refreshes (
    view_name     text PRIMARY KEY,
    refreshed_at  timestamptz NOT NULL,
    duration_ms   float8 NOT NULL
);

-- Down Migration
DROP TABLE gateway_materialized_view_refreshes;
