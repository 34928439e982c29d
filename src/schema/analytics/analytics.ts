import type { EntityTimelineSummary } from '../../services/analytics/timelineShape.js';
import type { MetricAnomaly } from '../../services/analytics/anomalies.js';
import type { MetricTrendPoint } from '../../services/analytics/metricTrend.js';
import type { PeriodTimelineEntry } from '../../services/analytics/periodTimeline.js';
import { countPeriodTimeline, periodTimelineCursor, periodTimelinePage } from '../../services/analytics/periodTimeline.js';
import type { ContentTimelineEntry } from '../../services/analytics/contentTimeline.js';
import { metricsTrendFreshness, type MetricsTrendFreshness } from '../../services/analytics/trendRefresh.js';
import { toConnection } from '../common/connection.js';
import { builder } from '../builder.js';
import { forwardPageArgs, pageOf } from '../common/args.js';
import { EntityTypeEnum } from '../common/enums.js';
import { entityField, entityTypeField } from '../entity/entity.js';
import { AnalysisPeriodRef, periodOf } from '../period/period.js';

export const EntityTimelineSummaryRef = builder.objectRef<EntityTimelineSummary>('EntityTimelineSummary').implement({
  description: 'Totals over the active periods of one entity (v_entity_timeline_summary).',
  fields: (t) => ({
    totalPeriods: t.exposeInt('totalPeriods', { description: 'Active periods.' }),
    firstPeriodStart: t.expose('firstPeriodStart', { type: 'DateTime', description: 'Start of the first active period.' }),
    lastPeriodEnd: t.expose('lastPeriodEnd', { type: 'DateTime', description: 'End of the newest active period.' }),
    avgPeriodDurationHours: t.exposeFloat('avgPeriodDurationHours', { nullable: true, description: 'Mean period length in hours.' }),
    totalContentAcrossPeriods: t.exposeInt('totalContentAcrossPeriods', { description: 'Sum of content counts.' }),
    avgQualityScore: t.exposeFloat('avgQualityScore', { nullable: true, description: 'Mean quality score.' }),
    avgCompletenessScore: t.exposeFloat('avgCompletenessScore', { nullable: true, description: 'Mean completeness score.' }),
    coverageRatio: t.exposeFloat('coverageRatio', {
      nullable: true,
      description: 'Time covered by active periods ÷ (lastPeriodEnd − firstPeriodStart): 1 for a timeline without holes (see timelineGaps).',
    }),
  }),
});

/** A point of the trend: its fields are read only when selected (metricTrend's `columns`). */
export const MetricTrendPointRef = builder.objectRef<MetricTrendPoint>('MetricTrendPoint').implement({
  description: 'One active period in mv_period_metrics_trend, with the two before it.',
  fields: (t) => ({
    asOf: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the materialized view this point comes from was last refreshed (null: never, by this gateway).',
      resolve: async (_point, _args, ctx) => (await ctx.loaders.trendFreshness.load('trend')).refreshedAt,
    }),
    stale: t.boolean({
      description: 'Periods were written or changed after that refresh: this point may be behind them.',
      resolve: async (_point, _args, ctx) => (await ctx.loaders.trendFreshness.load('trend')).stale,
    }),
    periodNumber: t.exposeInt('periodNumber', { description: 'The period number.' }),
    // Read whenever it is selected (TrendOptions.columns).
    analyzedAt: t.field({ type: 'DateTime', description: 'When it was analysed.', resolve: (point) => point.analyzedAt! }),
    metrics: t.expose('metrics', { type: 'JSON', description: 'Its metrics.' }),
    metricsDelta: t.expose('metricsDelta', { type: 'JSON', description: 'Its flat metrics delta.' }),
    prevMetrics: t.expose('prevMetrics', { type: 'JSON', nullable: true, description: 'Metrics of the previous active period.' }),
    prevPrevMetrics: t.expose('prevPrevMetrics', { type: 'JSON', nullable: true, description: 'Metrics of the one before that.' }),
    metric: t.exposeString('metric', { nullable: true, description: 'The metric asked for, if any.' }),
    value: t.exposeFloat('value', { nullable: true, description: 'That metric in this period.' }),
    previousValue: t.exposeFloat('previousValue', { nullable: true, description: 'That metric one period earlier.' }),
    previousPreviousValue: t.exposeFloat('previousPreviousValue', { nullable: true, description: 'That metric two periods earlier.' }),
  }),
});

export const MetricAnomalyRef = builder.objectRef<MetricAnomaly>('MetricAnomaly').implement({
  description: 'A period whose metric lies more than the threshold in standard deviations from the mean (detect_metric_anomalies).',
  fields: (t) => ({
    periodId: t.exposeID('periodId', { description: 'The anomalous period.' }),
    periodNumber: t.exposeInt('periodNumber', { description: 'Its number.' }),
    metricValue: t.exposeFloat('metricValue', { description: 'The metric in that period.' }),
    avgValue: t.exposeFloat('avgValue', { description: 'Mean over the entity’s active periods holding the metric.' }),
    stddevValue: t.exposeFloat('stddevValue', { description: 'Sample standard deviation over them.' }),
    zScore: t.exposeFloat('zScore', { description: '(value − mean) / stddev.' }),
    period: t.field({
      type: AnalysisPeriodRef,
      description: 'The anomalous period.',
      resolve: (anomaly, _args, ctx, info) => periodOf(anomaly.periodId, ctx, info),
    }),
  }),
});

export const ContentTimelineEntryRef = builder.objectRef<ContentTimelineEntry>('ContentTimelineEntry').implement({
  description: 'A content snapshot on the entity timeline (get_content_timeline).',
  fields: (t) => ({
    contentId: t.exposeID('contentId', { description: 'UUID of the content.' }),
    periodId: t.exposeID('periodId', { description: 'The period that used it.' }),
    periodNumber: t.exposeInt('periodNumber', { description: 'That period’s number.' }),
    contributionType: t.exposeString('contributionType', { description: 'How it contributed.' }),
    relevanceScore: t.exposeFloat('relevanceScore', { nullable: true, description: 'Relevance, 0..1.' }),
    textSnapshot: t.exposeString('textSnapshot', { nullable: true, description: 'Text as analysed.' }),
    periodStart: t.expose('periodStart', { type: 'DateTime', description: 'Start of the period.' }),
    periodEnd: t.expose('periodEnd', { type: 'DateTime', description: 'End of the period.' }),
    content: t.prismaField({
      type: 'Content',
      description: 'The content as it is now.',
      resolve: (query, entry, _args, ctx) => ctx.prisma.content.findUniqueOrThrow({ ...query, where: { id: entry.contentId } }),
    }),
  }),
});

export const ContentTimelineConnection = builder.connectionObject(
  { type: ContentTimelineEntryRef, name: 'ContentTimelineConnection', description: 'Content on the timeline, newest period first.' },
  { name: 'ContentTimelineEdge' },
);

export const PeriodTimelineEntryRef = builder.objectRef<PeriodTimelineEntry>('PeriodTimelineEntry').implement({
  description: 'An active period as v_period_timeline lists it, with its open events, crawl records and linked tasks counted.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'UUID of the period.' }),
    entityId: t.exposeID('entityId', { description: 'UUID of the entity.' }),
    periodNumber: t.exposeInt('periodNumber', { description: 'Period number.' }),
    periodStart: t.expose('periodStart', { type: 'DateTime', description: 'Start of the window.' }),
    periodEnd: t.expose('periodEnd', { type: 'DateTime', description: 'End of the window.' }),
    analyzedAt: t.expose('analyzedAt', { type: 'DateTime', description: 'When it was analysed.' }),
    durationHours: t.exposeFloat('durationHours', { description: 'Window length in hours.' }),
    contentCount: t.exposeInt('contentCount', { description: 'Contents analysed.' }),
    summaryShort: t.exposeString('summaryShort', { nullable: true, description: 'One-line summary.' }),
    qualityScore: t.exposeFloat('qualityScore', { nullable: true, description: 'Quality, 0..1.' }),
    completenessScore: t.exposeFloat('completenessScore', { nullable: true, description: 'Completeness, 0..1.' }),
    unresolvedEventCount: t.exposeInt('unresolvedEventCount', { description: 'Open events recorded in the period.' }),
    crawlTaskCount: t.exposeInt('crawlTaskCount', {
      description: 'Crawl-effectiveness records of the period: v_period_timeline.crawl_task_count, in the meaning Crosshot gives it.',
    }),
    linkedTaskCount: t.exposeInt('linkedTaskCount', { description: 'Tasks linked to the period (tasks.period_id).' }),
    period: t.field({
      type: AnalysisPeriodRef,
      description: 'The full period.',
      resolve: (entry, _args, ctx, info) => periodOf(entry.id, ctx, info),
    }),
  }),
});

builder.objectFields(PeriodTimelineEntryRef, (t) => ({ entityType: t.field(entityTypeField), entity: t.field(entityField) }));

const PeriodTimelineConnection = builder.connectionObject(
  { type: PeriodTimelineEntryRef, name: 'PeriodTimelineConnection', description: 'Active periods of all entities, most recently analysed first.' },
  { name: 'PeriodTimelineEdge' },
);

export const MetricsTrendFreshnessRef = builder.objectRef<MetricsTrendFreshness>('MetricsTrendFreshness').implement({
  description: 'How current mv_period_metrics_trend is.',
  fields: (t) => ({
    refreshedAt: t.expose('refreshedAt', { type: 'DateTime', nullable: true, description: 'When the gateway last refreshed it (null: never).' }),
    durationMs: t.exposeFloat('durationMs', { nullable: true, description: 'How long that refresh took.' }),
    stale: t.exposeBoolean('stale', { description: 'Periods were written or changed after that refresh.' }),
  }),
});

builder.queryFields((t) => ({
  periodTimeline: t.field({
    type: PeriodTimelineConnection,
    description: 'Active periods of all entities (v_period_timeline), most recently analysed first.',
    args: {
      entityType: t.arg({ type: EntityTypeEnum, required: false, description: 'Only topics or only tracked users.' }),
      ...forwardPageArgs(t.arg),
    },
    resolve: async (_root, args, ctx) => {
      const page = await periodTimelinePage(ctx.pool, { entityType: args.entityType, ...pageOf(args, ctx) });
      return { ...toConnection(page, periodTimelineCursor, Boolean(args.after)), totalCount: () => countPeriodTimeline(ctx.pool, args.entityType) };
    },
  }),
  metricsTrendFreshness: t.field({
    type: MetricsTrendFreshnessRef,
    description: 'When mv_period_metrics_trend was last refreshed, and whether newer periods exist.',
    resolve: (_root, _args, ctx) => metricsTrendFreshness(ctx.pool),
  }),
}));

builder.mutationFields((t) => ({
  refreshMetricsTrend: t.field({
    extensions: { scope: 'admin' },
    type: MetricsTrendFreshnessRef,
    description: 'REFRESH MATERIALIZED VIEW CONCURRENTLY mv_period_metrics_trend, one at a time across all gateway instances (a second caller waits for the running refresh).',
    resolve: (_root, _args, ctx) => ctx.trendRefresher.refresh(),
  }),
}));
