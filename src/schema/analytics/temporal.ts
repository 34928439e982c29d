import { anomalyOptions, PERIOD_ANOMALIES, zThreshold, type MetricAnomaly } from '../../services/analytics/anomalies.js';
import type { GraphQLResolveInfo } from 'graphql';
import { EVENT_STATS, type EventCount, type EventGrouping, type EventStats, type EventStatsRequest } from '../../services/analytics/eventLifecycle.js';
import {
  METRIC_SERIES,
  rangeTooLarge,
  seriesBuckets,
  seriesBucketsOf,
  type GapFill,
  type MetricBucket,
  type SeriesAggregate,
  type SeriesJson,
  type SeriesRequest,
  type TimeBucket,
} from '../../services/analytics/metricSeries.js';
import { resolveRange, type RelativeWindow } from '../../services/common/timeWindows.js';
import type { TimelineGap } from '../../services/analytics/timelineShape.js';
import type { GraphQLContext } from '../../context.js';
import { builder } from '../builder.js';
import { anomalyArgs } from '../common/args.js';
import { ENTITY_LIST, NESTED_LIST, atMost, limitArg, limitedList, listLimit, slicedBy } from '../common/lists.js';
import { selectedAmong, selectedLimit, sliceTo } from '../common/selection.js';
import { sqlField } from '../common/sqlField.js';
import { EntityRef, keyOf } from '../entity/entity.js';
import { eventFields, TemporalEventRef } from '../event/event.js';
import { AnalysisPeriodRef, periodSelection } from '../period/period.js';
import { MetricAnomalyRef } from './analytics.js';

// Temporal analytics of every entity: bucketed metric series with gap filling, event
// lifecycle figures, the events open at an instant, and the holes of a timeline.

const TimeBucketEnum = builder.enumType('TimeBucket', {
  description: 'Bucket width of a series, in UTC: weeks start on Monday, months are calendar months.',
  values: {
    HOUR: { value: 'hour', description: 'Hours.' },
    DAY: { value: 'day', description: 'Days (00:00 UTC).' },
    WEEK: { value: 'week', description: 'Weeks from Monday 00:00 UTC.' },
    MONTH: { value: 'month', description: 'Calendar months from the 1st, 00:00 UTC.' },
  } as const,
});

const AggregateEnum = builder.enumType('Aggregate', {
  description: 'How the periods overlapping a bucket make its value.',
  values: {
    AVG: { value: 'avg', description: 'Mean of their values, each weighted by the time it overlaps the bucket.' },
    SUM: { value: 'sum', description: 'Sum of their values pro rata: value × overlap ÷ period length (a period spanning two buckets is split).' },
    MIN: { value: 'min', description: 'Smallest value.' },
    MAX: { value: 'max', description: 'Largest value.' },
    LAST: { value: 'last', description: 'Value of the period that ends last.' },
  } as const,
});

const GapFillEnum = builder.enumType('GapFill', {
  description: 'What a series returns for buckets no period covers.',
  values: {
    NONE: { value: 'none', description: 'Leaves them out.' },
    NULL: { value: 'null', description: 'Returns them with value null.' },
    PREVIOUS: { value: 'previous', description: 'Carries the last value forward (null before the first).' },
    LINEAR: { value: 'linear', description: 'Interpolates in time between the values around them (null outside).' },
  } as const,
});

export const RelativeWindowInput = builder.inputType('RelativeWindow', {
  description: 'A window ending now (the request’s clock): the last N hours (h), days (d), weeks (w) or months (mo).',
  fields: (t) => ({ last: t.string({ required: true, description: '"36h", "30d", "4w", "3mo".' }) }),
});

const MetricBucketRef = builder.objectRef<MetricBucket>('MetricBucket').implement({
  description: 'One bucket of a metric series.',
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime', description: 'Start of the bucket (inclusive).' }),
    end: t.expose('end', { type: 'DateTime', description: 'End of the bucket (exclusive).' }),
    value: t.exposeFloat('value', { nullable: true, description: 'The aggregate, or the filled value; null when there is none.' }),
    periodCount: t.exposeInt('periodCount', { description: 'Active periods holding the metric that overlap the bucket.' }),
    filled: t.exposeBoolean('filled', { description: 'No period covers the bucket: its value is null or filled.' }),
  }),
});

const EventCountRef = builder.objectRef<EventCount>('EventCount').implement({
  description: 'Event figures of one severity or event type.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The severity (INFO, WARNING, CRITICAL) or the event type.' }),
    opened: t.exposeInt('opened', { description: 'First detected in the window.' }),
    resolved: t.exposeInt('resolved', { description: 'Resolved in the window.' }),
    stillOpen: t.exposeInt('stillOpen', { description: 'Open at the window’s end.' }),
  }),
});

const EventStatsRef = builder.objectRef<EventStats>('EventStats').implement({
  description: 'How an entity’s events came and went in a window.',
  fields: (t) => ({
    opened: t.exposeInt('opened', { description: 'Events first detected in the window.' }),
    resolved: t.exposeInt('resolved', { description: 'Events resolved in the window.' }),
    stillOpen: t.exposeInt('stillOpen', { description: 'Events open at the window’s end (detected before it, not resolved by then).' }),
    timeToResolveP50Hours: t.exposeFloat('timeToResolveP50Hours', { nullable: true, description: 'Median hours from detection to resolution, of the events resolved in the window.' }),
    timeToResolveP90Hours: t.exposeFloat('timeToResolveP90Hours', { nullable: true, description: '90th percentile of those hours (interpolated).' }),
    timeToResolveMaxHours: t.exposeFloat('timeToResolveMaxHours', { nullable: true, description: 'Longest of those hours.' }),
    // Read whenever selected (EventStatsRequest.groupings).
    bySeverity: t.field({ type: [EventCountRef], description: 'The same counts per severity.', extensions: atMost(3), resolve: (s) => s.bySeverity! }),
    byType: t.field({
      type: [EventCountRef],
      description: 'The same counts per event type, by type name.',
      ...limitedList(t.arg, ENTITY_LIST),
      // The statement read as many as the largest limit among this field's aliases.
      resolve: (s, args, ctx) => sliceTo(s.byType!, listLimit(args.limit, ENTITY_LIST, ctx)),
    }),
  }),
});

const TimelineGapRef = builder.objectRef<TimelineGap>('TimelineGap').implement({
  description: 'A stretch between two consecutive active periods that no period covers.',
  fields: (t) => ({
    start: t.expose('start', { type: 'DateTime', description: 'End of the period before.' }),
    end: t.expose('end', { type: 'DateTime', description: 'Start of the period after.' }),
    hours: t.exposeFloat('hours', { description: 'Length in hours.' }),
  }),
});

interface WindowArgs {
  from?: Date | null;
  to?: Date | null;
  window?: RelativeWindow | null;
}

const rangeOf = (args: WindowArgs, ctx: GraphQLContext) => resolveRange(args, ctx.now);

interface SeriesArgs extends WindowArgs {
  metric: string;
  bucket: TimeBucket;
  aggregate?: string | null;
  fill?: string | null;
}

/** What a series field asks for, checked against the bucket limit before any SQL (its planner and its resolver both use it). */
function seriesRequest(args: SeriesArgs, ctx: GraphQLContext): SeriesRequest {
  const { from, to } = rangeOf(args, ctx);
  const maxBuckets = ctx.config.limits.maxSeriesBuckets;
  const buckets = seriesBuckets(args.bucket, from, to);
  if (buckets !== null && buckets > maxBuckets + 1) throw rangeTooLarge(args.bucket, maxBuckets, buckets);
  return { metric: args.metric, bucket: args.bucket, aggregate: (args.aggregate ?? 'avg') as SeriesAggregate, fill: (args.fill ?? 'none') as GapFill, from, to, maxBuckets };
}

const EVENT_GROUPINGS: readonly EventGrouping[] = ['bySeverity', 'byType'];

/** What eventStats asks for: its window, and the per-group counts selected at `path` below `info`'s field. */
function eventStatsRequest(args: WindowArgs, ctx: GraphQLContext, info: GraphQLResolveInfo, path: string[] = []): EventStatsRequest {
  const { from, to } = rangeOf(args, ctx);
  const byTypeLimit = selectedLimit(info, path, 'byType', ENTITY_LIST, ctx.config.limits.maxListSize);
  return { from, to: to ?? ctx.now, groupings: selectedAmong(info, EVENT_GROUPINGS, path), byTypeLimit };
}

// Each one SQL read: with the entity's statement, or for many entities at once.
const resolveMetricSeries = sqlField('Entity', 'metricSeries', {
  read: METRIC_SERIES,
  request: (args: SeriesArgs, ctx) => seriesRequest(args, ctx),
  result: (series, request) => seriesBucketsOf(series as SeriesJson, request),
});
const resolveEventStats = sqlField('Entity', 'eventStats', {
  read: EVENT_STATS,
  request: eventStatsRequest,
  result: (stats) => stats as EventStats,
});
const resolvePeriodAnomalies = sqlField('AnalysisPeriod', 'anomalies', {
  read: PERIOD_ANOMALIES,
  request: (args: { metric: string; threshold?: number | null }) => anomalyOptions(args.metric, args.threshold),
  result: (anomalies) => anomalies as MetricAnomaly[],
});

builder.interfaceFields(EntityRef, (t) => {
  const windowArgs = {
    from: t.arg({ type: 'DateTime', required: false, description: 'Start of the window (takes precedence over `window`).' }),
    to: t.arg({ type: 'DateTime', required: false, description: 'End of the window (takes precedence over `window`).' }),
    window: t.arg({ type: RelativeWindowInput, required: false, description: 'A window ending now, e.g. {last: "30d"}.' }),
  };
  return {
    metricSeries: t.field({
      type: [MetricBucketRef],
      description:
        'A metric per time bucket over the active periods (a period counts in every bucket it overlaps; see Aggregate). Without a window: the entity’s whole history of that metric.',
      args: {
        metric: t.arg.string({ required: true, description: 'The metric key, e.g. total_posts.' }),
        bucket: t.arg({ type: TimeBucketEnum, required: true, description: 'Bucket width.' }),
        ...windowArgs,
        aggregate: t.arg({ type: AggregateEnum, required: false, defaultValue: 'avg', description: 'How a bucket’s periods make its value.' }),
        fill: t.arg({ type: GapFillEnum, required: false, defaultValue: 'none', description: 'What empty buckets become.' }),
      },
      extensions: { seriesCost: true },
      resolve: resolveMetricSeries,
    }),
    eventStats: t.field({
      type: EventStatsRef,
      description: 'Events opened, resolved and still open in the window (default: all time up to now), and how long they took to resolve.',
      args: windowArgs,
      resolve: resolveEventStats,
    }),
    openEventsAt: t.field({
      type: [TemporalEventRef],
      description: 'The events that were open at this instant (detected by then, not yet resolved), oldest detection first.',
      args: { at: t.arg({ type: 'DateTime', required: true, description: 'The instant.' }), limit: limitArg(t.arg, ENTITY_LIST) },
      extensions: slicedBy(ENTITY_LIST),
      resolve: (entity, args, ctx, info) =>
        ctx.loaders.openEventsAt.load({ item: keyOf(entity), args: { at: args.at, fields: eventFields(info), limit: listLimit(args.limit, ENTITY_LIST, ctx) } }),
    }),
    timelineGaps: t.field({
      type: [TimelineGapRef],
      description: 'Stretches between consecutive active periods that no period covers, longer than minHours, oldest first.',
      args: {
        minHours: t.arg.float({ required: false, defaultValue: 0, description: 'Only gaps longer than this many hours.' }),
        limit: limitArg(t.arg, ENTITY_LIST),
      },
      extensions: slicedBy(ENTITY_LIST),
      resolve: (entity, args, ctx) =>
        ctx.loaders.timelineGaps.load({ item: keyOf(entity), args: { minHours: args.minHours ?? 0, limit: listLimit(args.limit, ENTITY_LIST, ctx) } }),
    }),
    durationOutliers: t.field({
      type: [AnalysisPeriodRef],
      description: 'Active periods whose length is more than `threshold` standard deviations from the mean length of the entity’s active periods, oldest first.',
      args: {
        threshold: t.arg.float({ required: false, defaultValue: 2.0, description: 'Minimum |z-score| of the length.' }),
        limit: limitArg(t.arg, ENTITY_LIST),
      },
      extensions: slicedBy(ENTITY_LIST),
      resolve: (entity, args, ctx, info) => {
        const threshold = zThreshold(args.threshold ?? 2.0);
        const limit = listLimit(args.limit, ENTITY_LIST, ctx);
        return ctx.loaders.durationOutliers.load({ item: keyOf(entity), args: { threshold, limit, selection: periodSelection(info, ctx) } });
      },
    }),
  };
});

builder.prismaObjectFields(AnalysisPeriodRef, (t) => ({
  anomalies: t.field({
    type: [MetricAnomalyRef],
    description: 'This period’s anomaly of the metric, if it is one (detect_metric_anomalies over its entity’s active periods): empty or one entry.',
    args: anomalyArgs(t.arg),
    extensions: atMost(1),
    resolve: resolvePeriodAnomalies,
  }),
  overlappingEvents: t.field({
    type: [TemporalEventRef],
    description: 'Events of the entity whose open interval (detection to resolution, or still open) overlaps this period, oldest first.',
    ...limitedList(t.arg, NESTED_LIST),
    resolve: (period, args, ctx, info) =>
      ctx.loaders.overlappingEvents.load({ item: period.id, args: { fields: eventFields(info), limit: listLimit(args.limit, NESTED_LIST, ctx) } }),
  }),
}));
