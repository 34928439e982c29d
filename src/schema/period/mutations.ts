import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../../context.js';
import { initializePeriodZero } from '../../services/periods/periodZero.js';
import { recordAnalysisPeriod } from '../../services/periods/recordPeriod.js';
import { supersedePeriod } from '../../services/periods/supersede.js';
import { builder } from '../builder.js';
import { parseUuid, parseUuids } from '../common/args.js';
import { EntityTypeEnum } from '../common/enums.js';
import { PeriodCrawlEffectivenessInput, toCrawlInput } from '../crawl/inputs.js';
import { PeriodEventInput, toEventInput } from '../event/inputs.js';
import { AnalysisPeriodRef, periodById } from './period.js';

const PeriodContentInput = builder.inputType('PeriodContentInput', {
  description: 'A content item the analysis used; its text and key points are frozen into a snapshot.',
  fields: (t) => ({
    contentId: t.id({ required: true, description: 'UUID of the content.' }),
    relevanceScore: t.float({ required: false, description: 'Relevance to the analysis, 0..1.' }),
    contributionType: t.string({ required: false, description: 'evidence, trend_signal, counterpoint, ... (default general).' }),
  }),
});

const RecordAnalysisPeriodInput = builder.inputType('RecordAnalysisPeriodInput', {
  description: 'One analysis cycle of an entity, with the events and crawl records it produced.',
  fields: (t) => ({
    entityType: t.field({ type: EntityTypeEnum, required: true, description: 'TOPIC or USER.' }),
    entityId: t.id({ required: true, description: 'UUID of the entity.' }),
    summary: t.string({ required: true, description: 'The analyst summary.' }),
    periodStart: t.field({ type: 'DateTime', required: false, description: 'Only for a first period (default: the entity’s creation).' }),
    periodEnd: t.field({ type: 'DateTime', required: false, description: 'Default now.' }),
    summaryShort: t.string({ required: false, description: 'One-line summary.' }),
    insights: t.field({ type: 'JSON', required: false, description: 'Insights, usually {"items": [...]}.' }),
    metrics: t.field({ type: 'JSON', required: false, description: 'Metrics at the end of the period.' }),
    qualityScore: t.float({ required: false, description: 'Analysis quality, 0..1.' }),
    completenessScore: t.float({ required: false, description: 'Data completeness, 0..1.' }),
    knowledgeDoc: t.string({ required: false, description: 'The updated knowledge document (bumps knowledgeVersion).' }),
    chatSummary: t.string({ required: false, description: 'Summary of the operator chat.' }),
    tasksDispatched: t.idList({ required: false, description: 'UUIDs of the tasks dispatched.' }),
    executionLog: t.field({ type: 'JSON', required: false, description: 'Debugging log of the run.' }),
    contents: t.field({ type: [PeriodContentInput], required: false, description: 'Contents to snapshot.' }),
    events: t.field({ type: [PeriodEventInput], required: false, description: 'Events detected in this cycle.' }),
    crawlEffectiveness: t.field({ type: [PeriodCrawlEffectivenessInput], required: false, description: 'How this cycle’s crawl queries worked.' }),
  }),
});

const SupersedePeriodInput = builder.inputType('SupersedePeriodInput', {
  description: 'A re-run of an analysis replacing an active period; fields left out are carried over from it.',
  fields: (t) => ({
    periodId: t.id({ required: true, description: 'UUID of the active period to replace.' }),
    reason: t.string({ required: true, description: 'Why it is being replaced.' }),
    summary: t.string({ required: false, description: 'The replacement’s summary.' }),
    summaryShort: t.string({ required: false, description: 'The replacement’s one-line summary.' }),
    insights: t.field({ type: 'JSON', required: false, description: 'The replacement’s insights.' }),
    metrics: t.field({ type: 'JSON', required: false, description: 'The replacement’s metrics.' }),
    qualityScore: t.float({ required: false, description: 'The replacement’s quality, 0..1.' }),
    completenessScore: t.float({ required: false, description: 'The replacement’s completeness, 0..1.' }),
    periodStart: t.field({ type: 'DateTime', required: false, description: 'Corrected start (default the old one’s); must not overlap the previous period.' }),
    periodEnd: t.field({ type: 'DateTime', required: false, description: 'Corrected end (default the old one’s); must not overlap the next period.' }),
  }),
});

/** A written period as the mutation returns it: read after the commit, as a query reads it. */
async function writtenPeriod(id: string, ctx: GraphQLContext, info: GraphQLResolveInfo) {
  const period = await periodById(id, ctx, info);
  if (!period) throw new Error(`the period ${id} just written is not there`);
  return period;
}

builder.mutationFields((t) => ({
  recordAnalysisPeriod: t.field({
    extensions: { scope: 'write' },
    type: AnalysisPeriodRef,
    // Nullable: when a later mutation of the same request fails, this one's committed result still shows.
    nullable: true,
    description:
      'Save one analysis cycle atomically: next number, window from the previous period’s end, metrics delta, contents linked and snapshotted, events and crawl records, entity stats. Safe under concurrent calls.',
    args: { input: t.arg({ type: RecordAnalysisPeriodInput, required: true, description: 'The cycle.' }) },
    resolve: async (_root, { input }, ctx, info) => {
      const { id } = await recordAnalysisPeriod(ctx.pool, {
        ...input,
        entityId: parseUuid(input.entityId, 'entityId'),
        tasksDispatched: input.tasksDispatched ? parseUuids(input.tasksDispatched, 'tasksDispatched') : null,
        contents: input.contents?.map((c, i) => ({ ...c, contentId: parseUuid(c.contentId, `contents[${i}].contentId`) })),
        events: input.events?.map((e, i) => toEventInput(e, `events[${i}].`)),
        crawlEffectiveness: input.crawlEffectiveness?.map((c, i) => toCrawlInput(c, `crawlEffectiveness[${i}].`)),
      }, { maxFutureMinutes: ctx.config.limits.maxFutureMinutes });
      return writtenPeriod(id, ctx, info);
    },
  }),
  supersedePeriod: t.field({
    extensions: { scope: 'write' },
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'Replace an active period by a re-run analysis; returns the replacement. The old period stays, SUPERSEDED.',
    args: { input: t.arg({ type: SupersedePeriodInput, required: true, description: 'The replacement.' }) },
    resolve: async (_root, { input }, ctx, info) => {
      const { id } = await supersedePeriod(ctx.pool, { ...input, periodId: parseUuid(input.periodId, 'periodId') });
      return writtenPeriod(id, ctx, info);
    },
  }),
  recomputeMetricsDelta: t.field({
    extensions: { scope: 'admin' },
    type: 'JSON',
    nullable: true,
    description: 'Recompute and store a period’s flat metrics delta (recompute_metrics_delta); null for an unknown or non-active period.',
    args: { periodId: t.arg.id({ required: true, description: 'UUID of the period.' }) },
    resolve: async (_root, args, ctx) => {
      const { rows } = await ctx.pool.query<{ delta: unknown }>('SELECT recompute_metrics_delta($1) AS delta', [parseUuid(args.periodId, 'periodId')]);
      return rows[0]?.delta ?? null;
    },
  }),
  initializePeriodZero: t.int({
    extensions: { scope: 'admin' },
    description: 'Create period 0 for entities that have content but no period (the guide’s post-migration step); idempotent; returns rows created.',
    args: { entityType: t.arg({ type: EntityTypeEnum, required: false, description: 'Only topics or only users (default both).' }) },
    resolve: async (_root, args, ctx) => {
      const created = await initializePeriodZero(ctx.pool, args.entityType ? [args.entityType] : ['topic', 'user']);
      return created.topic + created.user;
    },
  }),
}));
