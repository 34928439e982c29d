/**
 * The benchmark data set (`seed-demo --profile bench`): 500 topics and 500 tracked users per
 * unit of scale, 40 consecutive 12-hour active periods each, 3 temporal events (half resolved),
 * 4 crawl-effectiveness rows and 5 content snapshots per period. Uniform on purpose, so that
 * every entity costs the same to read and latencies at scale 1 and 10 compare.
 *
 * Run in order inside one transaction after `demo_params (seed, scale, anchor)` exists. Values
 * come from integer arithmetic on the row's position (cheap and deterministic); ids are
 * md5-derived UUIDs of a key, so the same seed and scale give the same rows.
 */
export const BENCH_SEED_STATEMENTS: string[] = [
  `CREATE TEMP TABLE bench_entity ON COMMIT DROP AS
   SELECT k.entity_type, n,
          md5(format('bench:%s:%s:%s', p.seed, k.entity_type, n))::uuid AS id,
          format('Bench %s %s', k.entity_type, lpad(n::text, 6, '0')) AS name,
          format('bench:%s:%s:%s', p.seed, k.entity_type, n) AS key,
          p.anchor - interval '480 hours' AS timeline_start
   FROM demo_params p
   CROSS JOIN (VALUES ('topic'), ('user')) AS k(entity_type)
   CROSS JOIN generate_series(1, 500 * p.scale) AS n`,

  `INSERT INTO topics (id, name, icon, description, platforms, keywords, config, created_at, updated_at)
   SELECT e.id, e.name, '📈', format('Benchmark topic number %s.', e.n), ARRAY['x', 'reddit'], ARRAY[format('bench %s', e.n)],
          jsonb_build_object('demo_seed', p.seed, 'profile', 'bench'), e.timeline_start - interval '1 day', e.timeline_start - interval '1 day'
   FROM bench_entity e CROSS JOIN demo_params p WHERE e.entity_type = 'topic'`,

  `INSERT INTO users (id, name, platform, profile_url, username, config, created_at, updated_at)
   SELECT e.id, e.name, 'x', format('https://x.com/bench%s', e.n), format('bench%s', e.n),
          jsonb_build_object('demo_seed', p.seed, 'profile', 'bench'), e.timeline_start - interval '1 day', e.timeline_start - interval '1 day'
   FROM bench_entity e CROSS JOIN demo_params p WHERE e.entity_type = 'user'`,

  `INSERT INTO tasks (id, label, status, payload, created_at)
   SELECT md5(e.key || ':task')::uuid, 'crawler:search', 'completed', jsonb_build_object('entity_id', e.id), e.timeline_start
   FROM bench_entity e`,

  // 20 processed contents per entity; the periods snapshot 5 of them in turn.
  `INSERT INTO contents (id, task_id, topic_id, user_id, platform, platform_content_id, source_url, crawled_at, text, lang,
                         processing_status, key_points, metrics, published_at, discovered_at, relevance_score)
   SELECT md5(format('%s:content:%s', e.key, i))::uuid, md5(e.key || ':task')::uuid,
          CASE WHEN e.entity_type = 'topic' THEN e.id END, CASE WHEN e.entity_type = 'user' THEN e.id END,
          'x', format('bench-%s-%s-%s', e.entity_type, e.n, i), format('https://x.example/bench/%s/%s', e.n, i),
          e.timeline_start + make_interval(hours => i), format('Post %s about %s: numbers, opinions and a link.', i, e.name), 'en',
          'processed', jsonb_build_array(format('point %s', i)), jsonb_build_object('likes', (e.n * 7 + i * 13) % 500),
          e.timeline_start + make_interval(hours => i), e.timeline_start + make_interval(hours => i), ((e.n + i * 37) % 100) / 100.0
   FROM bench_entity e CROSS JOIN generate_series(1, 20) AS i`,

  `CREATE TEMP TABLE bench_period ON COMMIT DROP AS
   SELECT e.entity_type, e.id AS entity_id, e.n, e.name, e.key, num AS period_number,
          md5(format('%s:period:%s', e.key, num))::uuid AS id,
          e.timeline_start + make_interval(hours => 12 * (num - 1)) AS period_start,
          e.timeline_start + make_interval(hours => 12 * num) AS period_end,
          jsonb_build_object(
            'total_posts', 100 + (e.n * 37 + num * 11) % 200,
            'total_likes', 1000 + (e.n * 53 + num * 29) % 4000,
            'total_views', 20000 + (e.n * 71 + num * 97) % 60000,
            'total_retweets', 50 + (e.n * 17 + num * 7) % 300,
            'total_replies', 80 + (e.n * 23 + num * 19) % 400) AS metrics
   FROM bench_entity e CROSS JOIN generate_series(1, 40) AS num`,

  // Long texts and logs, as real analyses have: the columns a lean read must not fetch.
  `INSERT INTO analysis_periods (
     id, entity_type, entity_id, period_number, period_start, period_end, analyzed_at, duration_hours,
     content_count, summary, summary_short, insights, metrics, metrics_delta, tasks_summary,
     knowledge_version, knowledge_doc, quality_score, completeness_score, execution_log, created_at, updated_at)
   SELECT bp.id, bp.entity_type, bp.entity_id, bp.period_number, bp.period_start, bp.period_end,
          bp.period_end + interval '5 minutes', 12, 5,
          format('Cycle %s of %s. ', bp.period_number, bp.name)
            || repeat('Volume and engagement moved within their usual range; no new narrative dominated the conversation. ', 8),
          format('%s, cycle %s: %s posts', bp.name, bp.period_number, bp.metrics ->> 'total_posts'),
          jsonb_build_object('items', jsonb_build_array('Replies outpace reposts', 'A few accounts dominate reach', 'Video drives most views')),
          bp.metrics,
          metrics_delta(bp.metrics, prev.metrics),
          jsonb_build_object('dispatched', 4, 'completed', 4),
          bp.period_number, format('# Knowledge about %s (v%s)', bp.name, bp.period_number) || repeat(chr(10) || '- an observation kept over cycles', 10),
          0.5 + ((bp.n + bp.period_number) % 50) / 100.0, 0.6 + ((bp.n * 3 + bp.period_number) % 40) / 100.0,
          jsonb_build_object('steps', jsonb_build_array('collect', 'score', 'summarise', 'compare', 'write'),
                             'log', repeat('step finished; ', 30), 'duration_ms', 20000 + (bp.n * 31 + bp.period_number * 17) % 40000),
          bp.period_end + interval '5 minutes', bp.period_end + interval '5 minutes'
   FROM bench_period bp
   LEFT JOIN bench_period prev ON prev.entity_id = bp.entity_id AND prev.period_number = bp.period_number - 1`,

  `INSERT INTO temporal_events (id, period_id, entity_type, entity_id, event_type, severity, title, description,
                                first_detected_at, last_updated_at, resolved_at, resolution_note, metadata, created_at)
   SELECT md5(format('%s:%s:event:%s', bp.key, bp.period_number, i))::uuid, bp.id, bp.entity_type, bp.entity_id,
          (ARRAY['controversy', 'trend_shift', 'milestone'])[i], (ARRAY['warning', 'info', 'critical'])[i],
          format('%s in cycle %s of %s', (ARRAY['Controversy', 'Trend shift', 'Milestone'])[i], bp.period_number, bp.name),
          format('Detected while analysing cycle %s.', bp.period_number),
          bp.period_start + make_interval(hours => 2 * i), bp.period_start + make_interval(hours => 2 * i + 1),
          CASE WHEN (bp.period_number * 3 + i) % 2 = 0 THEN bp.period_start + make_interval(hours => 2 * i + 6) END,
          CASE WHEN (bp.period_number * 3 + i) % 2 = 0 THEN 'Back to normal.' END,
          jsonb_build_object('detector', 'bench'), bp.period_end + interval '5 minutes'
   FROM bench_period bp CROSS JOIN generate_series(1, 3) AS i`,

  `INSERT INTO crawl_effectiveness (id, period_id, entity_type, entity_id, platform, query, total_found, relevant_count,
                                    high_value_count, effectiveness_score, avg_relevance, coverage_ratio, recommendations, created_at)
   SELECT md5(format('%s:%s:crawl:%s', bp.key, bp.period_number, i))::uuid, bp.id, bp.entity_type, bp.entity_id,
          (ARRAY['x', 'reddit', 'youtube', 'x'])[i], format('bench %s query %s', bp.n, i),
          200, 100 - 10 * i, 20 - 2 * i, ((bp.n * 7 + bp.period_number * 3 + i * 11) % 100) / 100.0, 0.5, 0.4,
          'Keep this query.', bp.period_end + make_interval(mins => i)
   FROM bench_period bp CROSS JOIN generate_series(1, 4) AS i`,

  `INSERT INTO period_content_snapshots (period_id, content_id, contribution_type, relevance_score, text_snapshot, key_points_snapshot, created_at)
   SELECT bp.id, md5(format('%s:content:%s', bp.key, 1 + (bp.period_number * 5 + i) % 20))::uuid,
          (ARRAY['evidence', 'trend_signal', 'general', 'counterpoint', 'general'])[1 + i], (10 - i) / 10.0,
          format('Post %s about %s.', 1 + (bp.period_number * 5 + i) % 20, bp.name), '["a point"]'::jsonb, bp.period_end + interval '5 minutes'
   FROM bench_period bp CROSS JOIN generate_series(0, 4) AS i`,

  ...(['topics', 'users'] as const).map(
    (table) => `UPDATE ${table} t
   SET current_period_number = 40, total_periods = 40, last_period_id = md5(format('%s:period:40', e.key))::uuid,
       first_analysis_at = e.timeline_start + interval '12 hours 5 minutes', avg_period_duration_hours = 12,
       total_contents = 20, last_crawl_at = e.timeline_start + interval '20 hours'
   FROM bench_entity e WHERE e.id = t.id`,
  ),
];
