import type { GraphQLResolveInfo } from 'graphql';
import { comparePeriods, type ComparisonSelection, type PeriodComparison } from '../../services/comparison.js';
import { builder } from '../builder.js';
import { parseUuid } from '../common/args.js';
import { EntityTypeEnum } from '../common/enums.js';
import { planOnce } from '../common/selection.js';
import { eventFields, TemporalEventRef } from '../event/event.js';
import { AnalysisPeriodRef, MetricChangeRef, periodSelection } from './period.js';

const ContentOverlapRef = builder.objectRef<PeriodComparison['contentOverlap']>('ContentOverlap').implement({
  description: 'How the content snapshots of two periods overlap.',
  fields: (t) => ({
    shared: t.exposeInt('shared', { description: 'Contents snapshotted in both periods.' }),
    onlyFrom: t.exposeInt('onlyFrom', { description: 'Contents only in the earlier period.' }),
    onlyTo: t.exposeInt('onlyTo', { description: 'Contents only in the later period.' }),
  }),
});

const PeriodComparisonRef = builder.objectRef<PeriodComparison>('PeriodComparison').implement({
  description: 'What changed between two active periods of one entity.',
  fields: (t) => ({
    from: t.field({ type: AnalysisPeriodRef, description: 'The earlier period.', resolve: (c) => c.from }),
    to: t.field({ type: AnalysisPeriodRef, description: 'The later period.', resolve: (c) => c.to }),
    elapsedHours: t.exposeFloat('elapsedHours', { description: 'Hours from the end of `from` to the end of `to`.' }),
    metrics: t.field({ type: [MetricChangeRef], description: 'Change of every metric in either period.', resolve: (c) => c.metrics }),
    eventsOpened: t.field({ type: [TemporalEventRef], description: 'First detected after `from` ended, up to `to`’s end.', resolve: (c) => c.eventsOpened }),
    eventsResolved: t.field({ type: [TemporalEventRef], description: 'Resolved in that window.', resolve: (c) => c.eventsResolved }),
    eventsOngoing: t.field({ type: [TemporalEventRef], description: 'Open at `to`’s end, detected before it.', resolve: (c) => c.eventsOngoing }),
    contentOverlap: t.field({ type: ContentOverlapRef, description: 'Snapshot overlap.', resolve: (c) => c.contentOverlap }),
    contentCountChange: t.exposeInt('contentCountChange', { description: 'to.contentCount − from.contentCount.' }),
    qualityChange: t.exposeFloat('qualityChange', { nullable: true, description: 'Change of quality score (null if either is unscored).' }),
    completenessChange: t.exposeFloat('completenessChange', { nullable: true, description: 'Change of completeness score.' }),
  }),
});

/** The fields of the two periods and of the listed events that the comparison's selection reads. */
function comparisonSelection(info: GraphQLResolveInfo): ComparisonSelection {
  return planOnce(info, 'comparison', () => {
    const [from, to] = [periodSelection(info, ['from']), periodSelection(info, ['to'])];
    const lists = (a: readonly string[] | null | undefined, b: readonly string[] | null | undefined) =>
      a || b ? [...new Set([...(a ?? []), ...(b ?? [])])].sort() : null;
    return {
      periods: {
        fields: [...new Set([...from.fields, ...to.fields])].sort(),
        events: lists(from.events, to.events),
        crawlEffectiveness: lists(from.crawlEffectiveness, to.crawlEffectiveness),
      },
      eventFields: [...new Set(['eventsOpened', 'eventsResolved', 'eventsOngoing'].flatMap((list) => eventFields(info, [list])))].sort(),
    };
  });
}

builder.queryFields((t) => ({
  period: t.prismaField({
    type: 'AnalysisPeriod',
    nullable: true,
    description: 'A period by id, whatever its status; null when there is none.',
    args: { id: t.arg.id({ required: true, description: 'The period UUID.' }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.analysisPeriod.findUnique({ ...query, where: { id: parseUuid(args.id, 'id') } }),
  }),
  periodByNumber: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'The active period with this number (get_period_by_number); null when there is none.',
    args: {
      entityType: t.arg({ type: EntityTypeEnum, required: true, description: 'TOPIC or USER.' }),
      entityId: t.arg.id({ required: true, description: 'The entity UUID.' }),
      number: t.arg.int({ required: true, description: 'The period number.' }),
    },
    resolve: (_root, args, ctx, info) =>
      ctx.loaders.periodByNumber.load({
        item: { entityType: args.entityType, entityId: parseUuid(args.entityId, 'entityId'), periodNumber: args.number },
        args: { selection: periodSelection(info) },
      }),
  }),
  comparePeriods: t.field({
    type: PeriodComparisonRef,
    description: 'Compare two active periods of one entity by number; NOT_FOUND names a missing number.',
    args: {
      entityType: t.arg({ type: EntityTypeEnum, required: true, description: 'TOPIC or USER.' }),
      entityId: t.arg.id({ required: true, description: 'The entity UUID.' }),
      from: t.arg.int({ required: true, description: 'Number of the earlier period.' }),
      to: t.arg.int({ required: true, description: 'Number of the later period.' }),
    },
    resolve: (_root, args, ctx, info) =>
      comparePeriods(ctx.pool, args.entityType, parseUuid(args.entityId, 'entityId'), args.from, args.to, comparisonSelection(info)),
  }),
}));
