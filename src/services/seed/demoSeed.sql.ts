/**
 * The demo data set as set-based SQL, one statement each, run in order inside one transaction
 * after `demo_params (seed, scale, anchor)` exists. Every "random" value is
 * pg_temp.demo_random(key): a hash of the seed and the row's position, so the same seed,
 * scale and anchor give the same rows whatever order PostgreSQL evaluates them in.
 * Ids are md5-derived UUIDs of the same keys, so they are stable too.
 */
export const DEMO_SEED_STATEMENTS: string[] = [
  `CREATE FUNCTION pg_temp.demo_random(key text) RETURNS float8 LANGUAGE sql IMMUTABLE AS
     $$ SELECT (('x' || substr(md5(key), 1, 8))::bit(32)::int::bigint + 2147483648) / 4294967296.0 $$`,

  `CREATE FUNCTION pg_temp.demo_pick(options text[], key text) RETURNS text LANGUAGE sql IMMUTABLE AS
     $$ SELECT options[1 + floor(pg_temp.demo_random(key) * array_length(options, 1))::int] $$`,

  // 6 topics and 4 tracked users per unit of scale, each with 12 consecutive 12-hour periods
  // ending at most at the anchor.
  `CREATE TEMP TABLE demo_entity ON COMMIT DROP AS
   WITH named AS (
     SELECT 'topic'::text AS entity_type, n,
            (ARRAY['AI regulation', 'Electric vehicles', 'Climate summit', 'Crypto markets', 'Remote work', 'Space launches'])[1 + (n - 1) % 6] AS base_name,
            (ARRAY['ai policy', 'ev sales', 'cop climate', 'bitcoin etf', 'return to office', 'starship'])[1 + (n - 1) % 6] AS keyword
     FROM demo_params, generate_series(1, 6 * scale) AS n
     UNION ALL
     SELECT 'user', n,
            (ARRAY['Dana Reyes', 'Kenji Watanabe', 'Amara Okafor', 'Lukas Berg'])[1 + (n - 1) % 4],
            (ARRAY['from:danareyes', 'from:kwatanabe', 'from:amaraokafor', 'from:lukasberg'])[1 + (n - 1) % 4]
     FROM demo_params, generate_series(1, 4 * scale) AS n
   )
   SELECT named.entity_type, named.n,
          md5(format('demo:%s:%s:%s', p.seed, named.entity_type, named.n))::uuid AS id,
          named.base_name || CASE WHEN named.n > CASE named.entity_type WHEN 'topic' THEN 6 ELSE 4 END
                                  THEN format(' #%s', named.n) ELSE '' END AS name,
          named.keyword,
          format('demo:%s:%s:%s', p.seed, named.entity_type, named.n) AS key,
          p.anchor - interval '144 hours'
            - make_interval(hours => floor(pg_temp.demo_random(format('demo:%s:%s:%s:jitter', p.seed, named.entity_type, named.n)) * 6)::int) AS timeline_start
   FROM named CROSS JOIN demo_params p`,

  `INSERT INTO topics (id, name, icon, description, platforms, keywords, config, created_at, updated_at)
   SELECT e.id, e.name, (ARRAY['🤖', '🚗', '🌍', '💰', '🏠', '🚀'])[1 + (e.n - 1) % 6],
          format('Conversation about %s across social platforms.', lower(e.name)),
          ARRAY['x', 'reddit', 'youtube'], ARRAY[e.keyword, split_part(e.keyword, ' ', 1)],
          jsonb_build_object('demo_seed', p.seed, 'crawl_interval_hours', 12),
          e.timeline_start - interval '2 days', e.timeline_start - interval '2 days'
   FROM demo_entity e CROSS JOIN demo_params p WHERE e.entity_type = 'topic'`,

  `INSERT INTO users (id, name, platform, profile_url, username, config, created_at, updated_at)
   SELECT e.id, e.name, 'x', format('https://x.com/%s', replace(e.keyword, 'from:', '')), replace(e.keyword, 'from:', ''),
          jsonb_build_object('demo_seed', p.seed), e.timeline_start - interval '2 days', e.timeline_start - interval '2 days'
   FROM demo_entity e CROSS JOIN demo_params p WHERE e.entity_type = 'user'`,

  // A topic with no analysis yet, the state of every entity before its first cycle.
  `INSERT INTO topics (id, name, icon, description, keywords, config, created_at, updated_at)
   SELECT md5(format('demo:%s:topic:pending', p.seed))::uuid, 'Quantum networking', '🔬',
          'Added recently; waiting for its first analysis cycle.', ARRAY['quantum network'],
          jsonb_build_object('demo_seed', p.seed), p.anchor - interval '1 day', p.anchor - interval '1 day'
   FROM demo_params p`,

  `CREATE TEMP TABLE demo_period ON COMMIT DROP AS
   SELECT e.entity_type, e.id AS entity_id, e.n, e.name, e.keyword, e.key, num AS period_number,
          md5(format('%s:period:%s', e.key, num))::uuid AS id,
          e.timeline_start + make_interval(hours => 12 * (num - 1)) AS period_start,
          e.timeline_start + make_interval(hours => 12 * num) AS period_end,
          format('%s:%s', e.key, num) AS pkey,
          -- A spike in some entities' 9th to 11th period gives the anomaly detector something to find.
          CASE WHEN pg_temp.demo_random(e.key || ':spiky') < 0.5
                AND num = 9 + floor(pg_temp.demo_random(e.key || ':spike-at') * 3)::int THEN 4.0 ELSE 1.0 END AS spike,
          50 + 200 * pg_temp.demo_random(e.key || ':posts') AS posts_base
   FROM demo_entity e CROSS JOIN generate_series(1, 12) AS num`,

  `CREATE TEMP TABLE demo_period_metrics ON COMMIT DROP AS
   SELECT dp.id, m.posts, m.likes,
          jsonb_build_object(
            'total_posts', m.posts,
            'total_likes', m.likes,
            'total_views', round(m.likes * (15 + 20 * pg_temp.demo_random(dp.pkey || ':views'))),
            'total_retweets', round(m.likes * (0.1 + 0.2 * pg_temp.demo_random(dp.pkey || ':rt'))),
            'total_replies', round(m.posts * (1 + 3 * pg_temp.demo_random(dp.pkey || ':replies'))),
            'avg_sentiment', round((pg_temp.demo_random(dp.pkey || ':sentiment') * 1.6 - 0.8)::numeric, 2)) AS metrics
   FROM demo_period dp
   CROSS JOIN LATERAL (
     SELECT round(dp.posts_base * (1 + 0.04 * dp.period_number) * (0.85 + 0.3 * pg_temp.demo_random(dp.pkey || ':noise')) * dp.spike) AS posts
   ) base
   CROSS JOIN LATERAL (
     SELECT base.posts AS posts, round(base.posts * (8 + 10 * pg_temp.demo_random(dp.pkey || ':likes'))) AS likes
   ) m`,

  // The delta recompute_metrics_delta() stores, by the same formula (metrics_delta()).
  `CREATE TEMP TABLE demo_period_delta ON COMMIT DROP AS
   SELECT w.id, metrics_delta(w.metrics, w.prev_metrics) AS delta
   FROM (
     SELECT dp.id, m.metrics, lag(m.metrics) OVER (PARTITION BY dp.entity_type, dp.entity_id ORDER BY dp.period_number) AS prev_metrics
     FROM demo_period dp JOIN demo_period_metrics m ON m.id = dp.id
   ) w`,

  `INSERT INTO analysis_periods (
     id, entity_type, entity_id, period_number, period_start, period_end, analyzed_at, duration_hours,
     content_count, summary, summary_short, insights, metrics, metrics_delta, tasks_dispatched, tasks_summary, chat_summary,
     knowledge_version, knowledge_doc, quality_score, completeness_score, execution_log, created_at, updated_at)
   SELECT dp.id, dp.entity_type, dp.entity_id, dp.period_number, dp.period_start, dp.period_end,
          dp.period_end + interval '5 minutes', 12, 3,
          format('Cycle %s for %s: %s posts (%s likes). %s', dp.period_number, dp.name, m.posts, m.likes,
                 pg_temp.demo_pick(ARRAY['Discussion stayed steady with no new narratives.',
                                         'A new narrative about pricing gained traction.',
                                         'Sentiment turned more critical after a widely shared thread.',
                                         'Engagement concentrated on a handful of high-reach accounts.',
                                         'Coverage broadened to non-English communities.'], dp.pkey || ':summary')),
          format('%s: %s posts', dp.name, m.posts),
          jsonb_build_object('items', jsonb_build_array(
            pg_temp.demo_pick(ARRAY['Volume is growing week over week', 'Replies outpace reposts', 'Video content drives most views', 'A few accounts dominate reach'], dp.pkey || ':insight1'),
            pg_temp.demo_pick(ARRAY['Watch for coordinated posting', 'Positive sentiment among experts', 'Mainstream media picked up the story', 'Interest is shifting to regulation'], dp.pkey || ':insight2'))),
          m.metrics, d.delta,
          ARRAY[md5(format('%s:task', dp.pkey))::uuid],
          jsonb_build_object('dispatched', 1, 'completed', 1),
          CASE WHEN pg_temp.demo_random(dp.pkey || ':chat') < 0.3 THEN 'The operator asked for more coverage of critical voices.' END,
          dp.period_number,
          format('# Knowledge about %s (v%s)%s- Main keyword: %s%s- Cycles analysed: %s', dp.name, dp.period_number, chr(10), dp.keyword, chr(10), dp.period_number),
          round((0.6 + 0.4 * pg_temp.demo_random(dp.pkey || ':quality'))::numeric, 3),
          round((0.5 + 0.5 * pg_temp.demo_random(dp.pkey || ':completeness'))::numeric, 3),
          jsonb_build_object('steps', jsonb_build_array('collect', 'score', 'summarise'),
                             'duration_ms', round(20000 + 40000 * pg_temp.demo_random(dp.pkey || ':duration'))),
          dp.period_end + interval '5 minutes', dp.period_end + interval '5 minutes'
   FROM demo_period dp JOIN demo_period_metrics m ON m.id = dp.id JOIN demo_period_delta d ON d.id = dp.id`,

  // The audit chain of a re-run analysis: the first topic's 5th period was analysed twice,
  // and the first result kept as superseded.
  `INSERT INTO analysis_periods (
     id, entity_type, entity_id, period_number, period_start, period_end, analyzed_at, duration_hours, status,
     superseded_by, supersession_reason, content_count, summary, summary_short, metrics, created_at, updated_at)
   SELECT md5(dp.pkey || ':first-run')::uuid, ap.entity_type, ap.entity_id, ap.period_number, ap.period_start, ap.period_end,
          ap.period_end + interval '1 minute', ap.duration_hours, 'superseded', ap.id,
          'Re-ran the analysis after late-arriving crawl data', 2,
          'First analysis of this cycle, before late crawl results arrived.', 'First run (superseded)',
          ap.metrics - 'total_views', ap.period_end + interval '1 minute', ap.created_at
   FROM demo_period dp JOIN analysis_periods ap ON ap.id = dp.id
   WHERE dp.entity_type = 'topic' AND dp.n = 1 AND dp.period_number = 5`,

  `INSERT INTO crawl_effectiveness (
     id, period_id, entity_type, entity_id, platform, query, total_found, relevant_count, high_value_count,
     effectiveness_score, avg_relevance, coverage_ratio, recommendations, created_at)
   SELECT md5(q.key)::uuid, dp.id, dp.entity_type, dp.entity_id, q.platform, q.query, q.total, q.relevant, q.high_value,
          round(LEAST(1, q.relevant::numeric / q.total * 0.7 + q.high_value::numeric / GREATEST(q.relevant, 1) * 0.3), 3),
          round((0.3 + 0.6 * pg_temp.demo_random(q.key || ':avg-relevance'))::numeric, 3),
          round((0.2 + 0.8 * pg_temp.demo_random(q.key || ':coverage'))::numeric, 3),
          pg_temp.demo_pick(ARRAY['Keep this query.', 'Narrow with a language filter.', 'Add synonyms to widen coverage.', 'Drop: mostly spam.'], q.key || ':rec'),
          dp.period_end + make_interval(mins => slot)
   FROM demo_period dp
   CROSS JOIN generate_series(1, 2) AS slot
   CROSS JOIN LATERAL (
     SELECT format('%s:ce:%s', dp.pkey, slot) AS key,
            (ARRAY['x', 'reddit'])[slot] AS platform,
            dp.keyword || (ARRAY[' lang:en', ' min_faves:50'])[slot] AS query,
            50 + floor(200 * pg_temp.demo_random(format('%s:ce:%s:total', dp.pkey, slot)))::int AS total
   ) q0
   CROSS JOIN LATERAL (
     SELECT q0.*, floor(q0.total * (0.2 + 0.6 * pg_temp.demo_random(q0.key || ':relevant')))::int AS relevant
   ) q1
   CROSS JOIN LATERAL (
     SELECT q1.*, floor(q1.relevant * (0.1 + 0.4 * pg_temp.demo_random(q1.key || ':high')))::int AS high_value
   ) q`,

  // One crawl task per period, plus one per entity for the cycle that has not been analysed yet.
  `INSERT INTO tasks (id, label, priority, status, payload, created_at, started_at, completed_at, period_id, effectiveness_id, duration_seconds)
   SELECT md5(format('%s:%s:task', e.key, num))::uuid, 'crawler:search', 1, 'completed',
          jsonb_build_object('entity_type', e.entity_type, 'entity_id', e.id, 'query', e.keyword),
          w.started - interval '1 minute', w.started, w.started + make_interval(secs => w.seconds),
          CASE WHEN num <= 12 THEN md5(format('%s:period:%s', e.key, num))::uuid END,
          CASE WHEN num <= 12 THEN md5(format('%s:%s:ce:1', e.key, num))::uuid END, w.seconds
   FROM demo_entity e
   CROSS JOIN generate_series(1, 13) AS num
   CROSS JOIN LATERAL (
     SELECT e.timeline_start + make_interval(hours => 12 * (num - 1) + 1) AS started,
            round((30 + 300 * pg_temp.demo_random(format('%s:%s:task-seconds', e.key, num)))::numeric, 1)::float8 AS seconds
   ) w`,

  `INSERT INTO contents (
     id, task_id, topic_id, user_id, platform, platform_content_id, source_url, crawled_at, author_uid,
     author_username, author_display_name, text, lang, hashtags, processing_status, key_points, metrics, data,
     analysis_period_id, published_at, discovered_at, relevance_score)
   SELECT c.id, md5(format('%s:%s:task', e.key, num))::uuid,
          CASE WHEN e.entity_type = 'topic' THEN e.id END, CASE WHEN e.entity_type = 'user' THEN e.id END,
          c.platform, format('demo-%s-%s-%s-%s-%s', p.seed, e.entity_type, e.n, num, i),
          format('https://%s.example/post/%s', c.platform, substr(c.id::text, 1, 8)),
          c.crawled_at, format('uid-%s', substr(md5(c.key || ':author'), 1, 10)),
          c.author, initcap(replace(c.author, '_', ' ')),
          format('%s %s %s', pg_temp.demo_pick(ARRAY['Hot take:', 'Thread:', 'New data:', 'Worth reading:', 'Unpopular opinion:'], c.key || ':opener'),
                 format(pg_temp.demo_pick(ARRAY['%s is moving faster than anyone expected.', 'the debate around %s keeps missing the point.',
                                                '%s numbers this week look surprisingly strong.', 'nobody is talking about the risks of %s.',
                                                'here is what changed in %s since last month.'], c.key || ':body'), e.keyword),
                 pg_temp.demo_pick(ARRAY['Thoughts?', 'Sources below.', '(1/4)', 'Bookmark this.', ''], c.key || ':closer')),
          'en', ARRAY[replace(split_part(e.keyword, ' ', 1), 'from:', '')],
          'processed',
          jsonb_build_array(format('Mentions %s', e.keyword), pg_temp.demo_pick(ARRAY['critical tone', 'supportive tone', 'neutral report'], c.key || ':kp')),
          jsonb_build_object('likes', floor(500 * pg_temp.demo_random(c.key || ':likes')), 'views', floor(20000 * pg_temp.demo_random(c.key || ':views'))),
          '{}'::jsonb,
          CASE WHEN num <= 12 THEN md5(format('%s:period:%s', e.key, num))::uuid END,
          c.crawled_at - make_interval(hours => floor(6 * pg_temp.demo_random(c.key || ':published'))::int),
          c.crawled_at,
          round(pg_temp.demo_random(c.key || ':relevance')::numeric, 3)
   FROM demo_entity e
   CROSS JOIN demo_params p
   CROSS JOIN generate_series(1, 13) AS num
   CROSS JOIN generate_series(1, 3) AS i
   CROSS JOIN LATERAL (
     SELECT md5(format('%s:%s:content:%s', e.key, num, i))::uuid AS id,
            format('%s:%s:content:%s', e.key, num, i) AS key,
            pg_temp.demo_pick(ARRAY['x', 'reddit', 'youtube'], format('%s:%s:content:%s:platform', e.key, num, i)) AS platform,
            pg_temp.demo_pick(ARRAY['techwatcher', 'policy_nerd', 'greenfuture', 'marketpulse', 'datadriven', 'skeptic_sam'], format('%s:%s:content:%s:author', e.key, num, i)) AS author,
            -- the 13th batch is still being crawled: it lands before the anchor
            LEAST(e.timeline_start + make_interval(hours => 12 * (num - 1) + 2 + 3 * i), p.anchor - make_interval(mins => 10 * i)) AS crawled_at
   ) c`,

  `INSERT INTO period_content_snapshots (period_id, content_id, contribution_type, relevance_score, text_snapshot, key_points_snapshot, created_at)
   SELECT c.analysis_period_id, c.id,
          pg_temp.demo_pick(ARRAY['evidence', 'trend_signal', 'general', 'counterpoint'], c.id::text || ':contribution'),
          c.relevance_score, c.text, c.key_points, ap.created_at
   FROM contents c JOIN analysis_periods ap ON ap.id = c.analysis_period_id
   WHERE c.platform_content_id LIKE format('demo-%s-%%', (SELECT seed FROM demo_params))`,

  // Events through their lifecycle: about a third of the cycles detect one; most of those are
  // resolved one to six cycles later, the rest are still open.
  `INSERT INTO temporal_events (
     id, period_id, entity_type, entity_id, event_type, severity, title, description, first_detected_at,
     last_updated_at, resolved_at, resolution_note, metadata, created_at)
   SELECT md5(dp.pkey || ':event')::uuid, dp.id, dp.entity_type, dp.entity_id, ev.event_type,
          CASE WHEN ev.event_type IN ('anomaly', 'risk') THEN 'critical'
               WHEN ev.event_type = 'controversy' THEN 'warning' ELSE 'info' END,
          format('%s: %s', initcap(replace(ev.event_type, '_', ' ')), dp.name),
          format('Detected during cycle %s of %s while analysing "%s".', dp.period_number, dp.name, dp.keyword),
          ev.detected, COALESCE(ev.resolved, ev.detected + interval '2 hours'), ev.resolved,
          CASE WHEN ev.resolved IS NOT NULL THEN 'Activity returned to its usual level.' END,
          jsonb_build_object('detector', 'analyst', 'confidence', round(pg_temp.demo_random(dp.pkey || ':confidence')::numeric, 2)),
          dp.period_end + interval '5 minutes'
   FROM demo_period dp
   CROSS JOIN demo_params p
   CROSS JOIN LATERAL (
     SELECT CASE WHEN dp.spike > 1 THEN 'anomaly'
                 ELSE pg_temp.demo_pick(ARRAY['controversy', 'trend_shift', 'milestone', 'risk', 'note'], dp.pkey || ':event-type') END AS event_type,
            dp.period_start + make_interval(hours => 1 + floor(10 * pg_temp.demo_random(dp.pkey || ':detected'))::int) AS detected
   ) ev0
   CROSS JOIN LATERAL (
     SELECT ev0.*, CASE WHEN pg_temp.demo_random(dp.pkey || ':resolved') < 0.65
                         AND ev0.detected + make_interval(hours => 12 * (1 + floor(6 * pg_temp.demo_random(dp.pkey || ':resolve-after'))::int)) < p.anchor
                        THEN ev0.detected + make_interval(hours => 12 * (1 + floor(6 * pg_temp.demo_random(dp.pkey || ':resolve-after'))::int)) END AS resolved
   ) ev
   WHERE dp.spike > 1 OR pg_temp.demo_random(dp.pkey || ':has-event') < 0.33`,

  `INSERT INTO event_contents (event_id, content_id, relevance_to_event, added_at)
   SELECT te.id, pcs.content_id, round(pg_temp.demo_random(te.id::text || pcs.content_id::text)::numeric, 3), te.created_at
   FROM temporal_events te
   JOIN demo_period dp ON dp.id = te.period_id
   JOIN period_content_snapshots pcs ON pcs.period_id = te.period_id
   WHERE pg_temp.demo_random(te.id::text || pcs.content_id::text || ':link') < 0.6`,

  ...(['topics', 'users'] as const).map(
    (table) => `UPDATE ${table} e
   SET current_period_number = s.current_number, last_period_id = s.last_id, total_periods = s.total,
       first_analysis_at = s.first_at, avg_period_duration_hours = s.avg_hours, last_summary = s.last_summary,
       total_contents = c.total, last_crawl_at = c.last_crawl
   FROM (
     SELECT ap.entity_id, max(ap.period_number) AS current_number, count(*) AS total, min(ap.analyzed_at) AS first_at,
            avg(ap.duration_hours) AS avg_hours,
            (array_agg(ap.id ORDER BY ap.period_number DESC))[1] AS last_id,
            (array_agg(ap.summary ORDER BY ap.period_number DESC))[1] AS last_summary
     FROM analysis_periods ap JOIN demo_entity de ON de.id = ap.entity_id
     WHERE ap.status = 'active'
     GROUP BY ap.entity_id
   ) s
   JOIN (
     SELECT COALESCE(ct.topic_id, ct.user_id) AS entity_id, count(*) AS total, max(ct.crawled_at) AS last_crawl
     FROM contents ct JOIN demo_entity de ON de.id = COALESCE(ct.topic_id, ct.user_id)
     GROUP BY 1
   ) c ON c.entity_id = s.entity_id
   WHERE s.entity_id = e.id`,
  ),

  `DROP FUNCTION pg_temp.demo_pick(text[], text)`,
  `DROP FUNCTION pg_temp.demo_random(text)`,
];
