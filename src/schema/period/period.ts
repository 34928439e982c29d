import type { GraphQLResolveInfo } from 'graphql';
import type { MetricChange } from '../../services/periods/metricChanges.js';
import { computeMetricChanges } from '../../services/periods/metricChanges.js';
import { PERIOD_KEY_FIELDS, PERIOD_TASK_COUNT, type PeriodPosition, type PeriodRow, type PeriodSelection } from '../../services/periods/periodReads.js';
import { builder } from '../builder.js';
import { prismaPageSizes } from '../common/args.js';
import { PeriodStatusEnum, type PeriodStatus } from '../common/enums.js';
import type { GraphQLContext } from '../../context.js';
import { NESTED_LIST, limitedList, listLimit } from '../common/lists.js';
import { fieldsToLoad, registerNeeds, sliceTo } from '../common/selection.js';
import { readAheadFor, sqlField } from '../common/sqlField.js';
import { entityField, entityTypeField } from '../entity/entity.js';

/**
 * What to read of the periods at `path` below `info`'s field: the columns their selected fields
 * need, and the declared fields below them (their events, counts, ...: each domain's own) that
 * the periods' statement reads ahead.
 */
export function periodSelection(info: GraphQLResolveInfo, ctx: GraphQLContext, path: string[] = []): PeriodSelection {
  return { fields: fieldsToLoad(info, 'AnalysisPeriod', PERIOD_KEY_FIELDS, path), readAhead: readAheadFor('AnalysisPeriod', info, ctx, path) };
}

/** The period `id` as the field at `info` selects it (batched with the other periods of the request; null when there is none). */
export function periodById(id: string, ctx: GraphQLContext, info: GraphQLResolveInfo): Promise<PeriodRow | null> {
  return ctx.loaders.periodById.load({ item: id, args: { selection: periodSelection(info, ctx) } });
}

/** The period a row points at (it exists: a foreign key, or the row was just read from it), read as a query reads periods. */
export async function periodOf(id: string, ctx: GraphQLContext, info: GraphQLResolveInfo): Promise<PeriodRow> {
  const period = await periodById(id, ctx, info);
  if (!period) throw new Error(`period ${id} does not exist`);
  return period;
}

/** A period's metric changes: one per metric key of it and the previous period. */
const METRIC_CHANGES = 100;

registerNeeds('AnalysisPeriod', { metricChanges: ['metrics'], supersededBy: ['supersededById'] });

const resolveTaskCount = sqlField('AnalysisPeriod', 'crawlTaskCount', { read: PERIOD_TASK_COUNT, request: () => null, result: (count) => count as number });

/**
 * A period's place on its timeline: the neighbour loaders' key (the whole row would make a long
 * cache key and keep equal positions from sharing a load).
 */
function positionOf(period: PeriodPosition): PeriodPosition {
  return { entityType: period.entityType, entityId: period.entityId, periodNumber: period.periodNumber };
}

export const MetricChangeRef = builder.objectRef<MetricChange>('MetricChange').implement({
  description: 'How one metric changed between two periods.',
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The metric key, e.g. total_posts.' }),
    previous: t.expose('previous', { type: 'JSON', nullable: true, description: 'Value in the earlier period (null when absent).' }),
    current: t.expose('current', { type: 'JSON', nullable: true, description: 'Value in the later period (null when absent).' }),
    absolute: t.exposeFloat('absolute', { nullable: true, description: 'current − previous; null unless both are numbers.' }),
    percent: t.exposeFloat('percent', {
      nullable: true,
      description: 'absolute / previous × 100; null when previous is 0 or either side is not a number.',
    }),
  }),
});

const PeriodContentSnapshotRef = builder.prismaObject('PeriodContentSnapshot', {
  description: 'A content item as an analysis used it, frozen at that moment.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The database UUID.' }),
    contentId: t.exposeID('contentId', { description: 'UUID of the content.' }),
    content: t.relation('content', { description: 'The content as it is now.' }),
    contributionType: t.exposeString('contributionType', { description: 'How it contributed (evidence, trend_signal, general, ...).' }),
    relevanceScore: t.exposeFloat('relevanceScore', { nullable: true, description: 'Relevance to the analysis, 0..1.' }),
    textSnapshot: t.exposeString('textSnapshot', { nullable: true, description: 'Text as analysed.' }),
    keyPointsSnapshot: t.expose('keyPointsSnapshot', { type: 'JSON', nullable: true, description: 'Key points as analysed.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the snapshot was taken.' }),
  }),
});

const PeriodContentConnection = builder.connectionObject(
  { type: PeriodContentSnapshotRef, name: 'PeriodContentConnection', description: 'Content snapshots of a period, most relevant first.' },
  { name: 'PeriodContentEdge' },
);

export const AnalysisPeriodRef = builder.prismaObject('AnalysisPeriod', {
  description: 'One analysis cycle of one entity: a numbered, non-overlapping time window on its timeline.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The database UUID.' }),
    entityId: t.exposeID('entityId', { description: 'UUID of the analysed topic or tracked user.' }),
    periodNumber: t.exposeInt('periodNumber', { description: 'Position on the entity timeline (0 = legacy period).' }),
    periodStart: t.expose('periodStart', { type: 'DateTime', description: 'Start of the window (inclusive).' }),
    periodEnd: t.expose('periodEnd', { type: 'DateTime', description: 'End of the window (exclusive).' }),
    analyzedAt: t.expose('analyzedAt', { type: 'DateTime', description: 'When the analysis ran.' }),
    durationHours: t.exposeFloat('durationHours', { description: 'Length of the window in hours.' }),
    status: t.field({
      type: PeriodStatusEnum,
      description: 'Lifecycle state; only ACTIVE periods are on the timeline.',
      resolve: (p) => p.status as PeriodStatus,
    }),
    supersessionReason: t.exposeString('supersessionReason', { nullable: true, description: 'Why it was superseded.' }),
    contentCount: t.exposeInt('contentCount', { description: 'Contents analysed in this period.' }),
    summary: t.exposeString('summary', { description: 'The analyst summary.' }),
    summaryShort: t.exposeString('summaryShort', { nullable: true, description: 'One-line summary.' }),
    insights: t.expose('insights', { type: 'JSON', description: 'Insights, usually {"items": [...]}.' }),
    metrics: t.expose('metrics', { type: 'JSON', description: 'Metrics at the end of the period (total_posts, total_likes, ...).' }),
    metricsDelta: t.expose('metricsDelta', { type: 'JSON', description: 'Flat {"key": current − previous} against the previous active period.' }),
    metricChanges: t.field({
      type: [MetricChangeRef],
      description: 'Per-metric change against the previous active period (empty for the first period), by key.',
      ...limitedList(t.arg, METRIC_CHANGES),
      resolve: async (period, args, ctx) => {
        const limit = listLimit(args.limit, METRIC_CHANGES, ctx);
        const previous = await ctx.loaders.neighbourPeriod.load({
          item: positionOf(period),
          args: { direction: 'previous', selection: { fields: ['id', 'metrics'] } },
        });
        return previous ? sliceTo(computeMetricChanges(previous.metrics, period.metrics), limit) : [];
      },
    }),
    qualityScore: t.exposeFloat('qualityScore', { nullable: true, description: 'Analysis quality, 0..1.' }),
    completenessScore: t.exposeFloat('completenessScore', { nullable: true, description: 'Data completeness, 0..1.' }),
    knowledgeVersion: t.exposeInt('knowledgeVersion', { description: 'Version of the knowledge document.' }),
    knowledgeDoc: t.exposeString('knowledgeDoc', { nullable: true, description: 'The knowledge document as of this period.' }),
    knowledgeDiff: t.expose('knowledgeDiff', { type: 'JSON', nullable: true, description: 'Change to the knowledge document.' }),
    tasksSummary: t.expose('tasksSummary', { type: 'JSON', description: 'Summary of the tasks dispatched.' }),
    tasksDispatched: t.exposeIDList('tasksDispatched', { description: 'UUIDs of the tasks dispatched in this cycle.' }),
    chatSummary: t.exposeString('chatSummary', { nullable: true, description: 'Summary of the operator chat in this cycle.' }),
    executionLog: t.expose('executionLog', { type: 'JSON', nullable: true, description: 'Debugging log of the analysis run.' }),
    contents: t.relatedConnection(
      'snapshots',
      {
        cursor: 'id',
        ...prismaPageSizes,
        description: 'Content snapshots this analysis used, most relevant first.',
        args: { minRelevance: t.arg.float({ required: false, description: 'Only snapshots at least this relevant (unscored pass).' }) },
        query: (args) => ({
          where: args.minRelevance === null || args.minRelevance === undefined
            ? {}
            : { OR: [{ relevanceScore: { gte: args.minRelevance } }, { relevanceScore: null }] },
          orderBy: [{ relevanceScore: { sort: 'desc', nulls: 'last' } }, { id: 'asc' }],
        }),
        totalCount: true,
      },
      PeriodContentConnection,
    ),
    crawlTaskCount: t.int({
      description: 'Tasks linked to this period (tasks.period_id). PeriodTimelineEntry.crawlTaskCount follows Crosshot’s view instead and counts crawl-effectiveness records.',
      resolve: resolveTaskCount,
    }),
    tasks: t.relation('tasks', {
      description: 'Tasks linked to this period, oldest first.',
      ...limitedList(t.arg, NESTED_LIST),
      query: (args, ctx) => ({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: listLimit(args.limit, NESTED_LIST, ctx) }),
    }),
    chatMessages: t.relation('chatMessages', {
      description: 'Chat messages linked to this period, oldest first.',
      ...limitedList(t.arg, NESTED_LIST),
      query: (args, ctx) => ({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: listLimit(args.limit, NESTED_LIST, ctx) }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the row was written.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When the row last changed.' }),
  }),
});

builder.prismaObjectFields(AnalysisPeriodRef, (t) => ({
  supersededBy: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'The re-run that replaced this period.',
    resolve: (period, _args, ctx, info) => (period.supersededById ? periodById(period.supersededById, ctx, info) : null),
  }),
  supersedes: t.field({
    type: [AnalysisPeriodRef],
    description: 'Earlier runs of this period that this one replaced, oldest first.',
    ...limitedList(t.arg, NESTED_LIST),
    resolve: (period, args, ctx, info) =>
      ctx.loaders.supersededPeriods.load({ item: period.id, args: { selection: periodSelection(info, ctx), limit: listLimit(args.limit, NESTED_LIST, ctx) } }),
  }),
  previous: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'The previous active period of the same entity.',
    resolve: (period, _args, ctx, info) =>
      ctx.loaders.neighbourPeriod.load({ item: positionOf(period), args: { direction: 'previous', selection: periodSelection(info, ctx) } }),
  }),
  next: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'The next active period of the same entity.',
    resolve: (period, _args, ctx, info) =>
      ctx.loaders.neighbourPeriod.load({ item: positionOf(period), args: { direction: 'next', selection: periodSelection(info, ctx) } }),
  }),
  entityType: t.field(entityTypeField),
  entity: t.field(entityField),
}));

export const AnalysisPeriodConnection = builder.connectionObject(
  { type: AnalysisPeriodRef, name: 'AnalysisPeriodConnection', description: 'A page of analysis periods, newest first.' },
  { name: 'AnalysisPeriodEdge' },
);

