import type { GraphQLResolveInfo } from 'graphql';
import { comparePeriods, type ComparisonSelection, type PeriodComparison } from '../../services/periods/comparison.js';
import { builder } from '../builder.js';
import { parseUuid } from '../common/args.js';
import { EntityTypeEnum } from '../common/enums.js';
import type { GraphQLContext } from '../../context.js';
import type { BuilderTypes } from '../builder.js';
import { COMPARISON_LIST, limitedList, listLimit } from '../common/lists.js';
import { planPerRequest, selectedLimit, sliceTo } from '../common/selection.js';
import { eventFields, TemporalEventRef } from '../event/event.js';
import { AnalysisPeriodRef, MetricChangeRef, periodById, periodSelection } from './period.js';

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
    metrics: t.field({
      type: [MetricChangeRef],
      description: 'Change of every metric in either period, by key.',
      ...limitedList(t.arg, COMPARISON_LIST),
      resolve: (c, args, ctx) => sliceTo(c.metrics, listLimit(args.limit, COMPARISON_LIST, ctx)),
    }),
    ...comparedEventLists(t),
    contentOverlap: t.field({ type: ContentOverlapRef, description: 'Snapshot overlap.', resolve: (c) => c.contentOverlap }),
    contentCountChange: t.exposeInt('contentCountChange', { description: 'to.contentCount − from.contentCount.' }),
    qualityChange: t.exposeFloat('qualityChange', { nullable: true, description: 'Change of quality score (null if either is unscored).' }),
    completenessChange: t.exposeFloat('completenessChange', { nullable: true, description: 'Change of completeness score.' }),
  }),
});

/** The three event lists of a comparison: each read in the comparison's statement for the largest limit its aliases ask. */
const EVENT_LISTS = { eventsOpened: 'opened', eventsResolved: 'resolved', eventsOngoing: 'ongoing' } as const;
const EVENT_LIST_DESCRIPTIONS: Record<keyof typeof EVENT_LISTS, string> = {
  eventsOpened: 'First detected after `from` ended, up to `to`’s end, oldest first.',
  eventsResolved: 'Resolved in that window, oldest detection first.',
  eventsOngoing: 'Open at `to`’s end, detected before it, oldest detection first.',
};

function comparedEventLists(t: PothosSchemaTypes.ObjectFieldBuilder<BuilderTypes, PeriodComparison>) {
  return Object.fromEntries(
    (Object.keys(EVENT_LISTS) as (keyof typeof EVENT_LISTS)[]).map((name) => [
      name,
      t.field({
        type: [TemporalEventRef],
        description: EVENT_LIST_DESCRIPTIONS[name],
        ...limitedList(t.arg, COMPARISON_LIST),
        resolve: (c, args, ctx) => sliceTo(c[name], listLimit(args.limit, COMPARISON_LIST, ctx)),
      }),
    ]),
  ) as Record<keyof typeof EVENT_LISTS, ReturnType<typeof t.field>>;
}

/** The fields of the two periods and of the listed events that the comparison's selection reads, and how many events of each list. */
function comparisonSelection(info: GraphQLResolveInfo, ctx: GraphQLContext): ComparisonSelection {
  const max = ctx.config.limits.maxListSize;
  const plan = (): ComparisonSelection => {
    const limit = (list: keyof typeof EVENT_LISTS) => selectedLimit(info, [], list, COMPARISON_LIST, max);
    return {
      from: periodSelection(info, ctx, ['from']),
      to: periodSelection(info, ctx, ['to']),
      eventFields: [...new Set(Object.keys(EVENT_LISTS).flatMap((list) => eventFields(info, [list])))].sort(),
      limits: { opened: limit('eventsOpened'), resolved: limit('eventsResolved'), ongoing: limit('eventsOngoing') },
    };
  };
  // A root field: worked out once per request (its lists' limits may come from variables).
  return planPerRequest(info, `comparison:${max}`, plan);
}

builder.queryFields((t) => ({
  period: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'A period by id, whatever its status; null when there is none.',
    args: { id: t.arg.id({ required: true, description: 'The period UUID.' }) },
    resolve: (_root, args, ctx, info) => periodById(parseUuid(args.id, 'id'), ctx, info),
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
        args: { selection: periodSelection(info, ctx) },
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
      comparePeriods(ctx.pool, args.entityType, parseUuid(args.entityId, 'entityId'), args.from, args.to, comparisonSelection(info, ctx)),
  }),
}));
