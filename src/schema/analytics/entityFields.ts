import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../../context.js';
import {
  anomalyOptions,
  TREND_COLUMNS,
  type AnomalyOptions,
  type MetricAnomaly,
  type MetricTrendPoint,
  type TrendOptions,
} from '../../services/analytics.js';
import { ENTITY_LIST, limitArg, listLimit, slicedBy } from '../common/lists.js';
import { contentTimelineCursor } from '../../services/entityFeeds.js';
import { builder } from '../builder.js';
import { anomalyArgs, forwardPageArgs, pageOf, parseWindow } from '../common/args.js';
import { selectedAmong } from '../common/selection.js';
import { entityConnection, EntityRef, keyOf, prefetched, readWithEntity } from '../entity/entity.js';
import { ContentTimelineConnection, EntityTimelineSummaryRef, MetricAnomalyRef, MetricTrendPointRef } from './analytics.js';

/** metricTrend's arguments, and the point fields selected at `path` below `info`'s field. */
function trendOptions(args: { metric?: string | null; last?: number | null }, ctx: GraphQLContext, info: GraphQLResolveInfo, path: string[] = []): TrendOptions {
  return { metric: args.metric ?? null, last: listLimit(args.last, ENTITY_LIST, ctx, 'last'), columns: selectedAmong(info, TREND_COLUMNS, path) };
}

/** anomalies' arguments: detect_metric_anomalies' options, and how many of the newest. */
function anomaliesOf(args: { metric: string; threshold?: number | null; limit?: number | null }, ctx: GraphQLContext): AnomalyOptions {
  return anomalyOptions(args.metric, args.threshold, listLimit(args.limit, ENTITY_LIST, ctx));
}

// Both can be read by the statement that reads their entity.
readWithEntity('metricTrend', (args, ctx, info, path) => ({ metricTrend: trendOptions(args as Parameters<typeof trendOptions>[0], ctx, info, path) }));
readWithEntity('anomalies', (args, ctx) => ({ anomalies: anomaliesOf(args as Parameters<typeof anomaliesOf>[0], ctx) }));

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
    resolve: (entity, args, ctx, info) =>
      prefetched<MetricTrendPoint[]>(entity, info) ?? ctx.loaders.metricTrend.load({ item: keyOf(entity), args: trendOptions(args, ctx, info) }),
  }),
  anomalies: t.field({
    type: [MetricAnomalyRef],
    description: 'Active periods whose metric is more than `threshold` standard deviations from the mean, newest first.',
    args: { ...anomalyArgs(t.arg), limit: limitArg(t.arg, ENTITY_LIST) },
    extensions: slicedBy(ENTITY_LIST),
    resolve: (entity, args, ctx, info) =>
      prefetched<MetricAnomaly[]>(entity, info) ?? ctx.loaders.anomalies.load({ item: keyOf(entity), args: anomaliesOf(args, ctx) }),
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
      const filter = { ...parseWindow(args), minRelevance: args.minRelevance ?? 0 };
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
