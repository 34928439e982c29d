-- The gateway's own, outside the Crosshot contract: the topics and users lists (Q1, the
-- explorer's entity list) are read in list order (pinned first, then position, name, id), a
-- page at a time. Without an index on that order every page sorts the whole table: a
-- sequential scan per request that grows with the number of entities (5,000 topics at 10x the
-- benchmark data, 50,000 at 100x). With it, a page reads its rows in order and stops.

-- Up Migration
-- Finishing Steps
CREATE INDEX ix_topics_list_order ON topics (is_pinned DESC, position, name, id);
CREATE INDEX ix_users_list_order ON users (is_pinned DESC, position, name, id);

-- Down Migration
DROP INDEX ix_users_list_order;
DROP INDEX ix_topics_list_order;
