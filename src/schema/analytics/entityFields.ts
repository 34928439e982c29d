import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../../context.js';
import { anomalyOptions, ENTITY_ANOMALIES, type AnomalyOptions, type MetricAnomaly } from '../../services/analytics/anomalies.js';
import { METRIC_TREND, TREND_COLUMNS, type MetricTrendPoint, type TrendOptions } from '../../services/analytics/metricTrend.js';
import { ENTITY_LIST, limitArg, listLimit, slicedBy } from '../common/lists.js';
import { contentTimelineCursor } from '../../services/analytics/contentTimeline.js';
import { builder } from '../builder.js';
import { anomalyArgs, forwardPageArgs, pageOf } from '../common/args.js';
import { resolveRange } from '../../services/common/timeWindows.js';
import { selectedAmong } from '../common/selection.js';
import { sqlField } from '../common/sqlField.js';
import { entityConnection, EntityRef, keyOf } from '../entity/entity.js';
import { ContentTimelineConnection, EntityTimelineSummaryRef, MetricAnomalyRef, MetricTrendPointRef } from './analytics.js';

/** metricTrend's arguments, and the point fields selected at `path` below `info`'s field. */
function trendOptions(args: { metric?: string | null; last?: number | null }, ctx: GraphQLContext, info: GraphQLResolveInfo, path: string[] = []): TrendOptions {
  return { metric: args.metric ?? null, last: listLimit(args.last, ENTITY_LIST, ctx, 'last'), columns: selectedAmong(info, TREND_COLUMNS, path) };
}

/** anomalies' arguments: detect_metric_anomalies' options, and how many of the newest. */
function anomaliesOf(args: { metric: string; threshold?: number | null; limit?: number | null }, ctx: GraphQLContext): AnomalyOptions {
  return anomalyOptions(args.metric, args.threshold, listLimit(args.limit, ENTITY_LIST, ctx));
}

// Each one SQL read: with the entity's statement, or for many entities at once.
const resolveMetricTrend = sqlField('Entity', 'metricTrend', {
  read: METRIC_TREND,
  request: trendOptions,
  result: (points) => points as MetricTrendPoint[],
});
const resolveAnomalies = sqlField('Entity', 'anomalies', {
  read: ENTITY_ANOMALIES,
  request: (args: Parameters<typeof anomaliesOf>[0], ctx) => anomaliesOf(args, ctx),
  result: (anomalies) => anomalies as MetricAnomaly[],
});

// The views and SQL functions, as fields of every entity.
builder.interfaceFields(EntityRef, (t) => ({
  timelineSummary: t.field({
    type: EntityTimelineSummaryRef,
    nullable: true,
    description: 'Totals over the active periods (v_entity_timeline_summary); null before the first period.',
    resolve: (entity, _args, ctx) => ctx.loaders.timelineSummary.load(keyOf(entity)),
  }),
  metricTrend: t.field({
    type: [MetricTrendPointRef],
    description: 'Metrics per active period with the two before (mv_period_metrics_trend), oldest first.',
    args: {
      metric: t.arg.string({ required: false, description: 'Only periods holding this metric; fills value fields.' }),
      last: limitArg(t.arg, ENTITY_LIST, 'Only the newest N periods'),
    },
    extensions: slicedBy(ENTITY_LIST, 'last'),
    resolve: resolveMetricTrend,
  }),
  anomalies: t.field({
    type: [MetricAnomalyRef],
    description: 'Active periods whose metric is more than `threshold` standard deviations from the mean, newest first.',
    args: { ...anomalyArgs(t.arg), limit: limitArg(t.arg, ENTITY_LIST) },
    extensions: slicedBy(ENTITY_LIST),
    resolve: resolveAnomalies,
  }),
  contentTimeline: t.field({
    type: ContentTimelineConnection,
    description: 'Snapshots of active periods inside [from, to] (get_content_timeline): newest period first, then relevance.',
    args: {
      from: t.arg({ type: 'DateTime', required: false, description: 'Periods starting at or after this instant.' }),
      to: t.arg({ type: 'DateTime', required: false, description: 'Periods ending at or before this instant.' }),
      minRelevance: t.arg.float({ required: false, defaultValue: 0, description: 'Minimum relevance (unscored snapshots pass).' }),
      ...forwardPageArgs(t.arg),
    },
    resolve: (entity, args, ctx) => {
      const filter = { ...resolveRange({ from: args.from, to: args.to }), minRelevance: args.minRelevance ?? 0 };
      return entityConnection(
        { pages: ctx.loaders.contentTimelinePages, counts: ctx.loaders.contentTimelineCounts },
        keyOf(entity),
        filter,
        pageOf(args, ctx),
        contentTimelineCursor,
      );
    },
  }),
}));
