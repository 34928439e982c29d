-- The gateway's own, outside the Crosshot contract: recordAnalysisPeriod links the entity's
-- processed contents that no period has analysed yet, under the entity's row lock. Without an
-- index that is a scan of every content for every period written (150 ms at 200,000 contents,
-- while the entity stays locked). Partial indexes: only the not-yet-analysed queue is indexed,
-- so they stay small however many contents have been analysed.

-- Up Migration
-- Finishing Steps
CREATE INDEX ix_contents_topic_unanalysed ON contents (topic_id, crawled_at) WHERE analysis_period_id IS NULL;
CREATE INDEX ix_contents_user_unanalysed ON contents (user_id, crawled_at) WHERE analysis_period_id IS NULL;

-- Down Migration
DROP INDEX ix_contents_user_unanalysed;
DROP INDEX ix_contents_topic_unanalysed;
