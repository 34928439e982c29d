import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../../context.js';
import { badUserInput } from '../../errors.js';
import { periodCursor, type PeriodPageRequest, type PeriodRow } from '../../services/periods.js';
import { builder } from '../builder.js';
import { forwardPageArgs, pageOf, parseWindow } from '../common/args.js';
import { PeriodStatusEnum, type PeriodStatus } from '../common/enums.js';
import { entityConnection, EntityRef, keyOf, prefetched, readWithEntity } from '../entity/entity.js';
import { AnalysisPeriodConnection, AnalysisPeriodRef, periodSelection } from './period.js';

interface PeriodsArgs {
  first?: number | null;
  after?: string | null;
  status?: PeriodStatus[] | null;
  from?: Date | null;
  to?: Date | null;
  asOf?: Date | null;
}

/** The one reading of `periods`' arguments: the page request, or BAD_USER_INPUT naming the argument. */
function periodPageRequest(args: PeriodsArgs, ctx: GraphQLContext, info: GraphQLResolveInfo, nodePath: string[]): PeriodPageRequest {
  if (args.asOf && args.status) {
    throw badUserInput('`asOf` shows the periods that were active at that instant; it cannot be combined with `status`', 'asOf');
  }
  return {
    statuses: args.status?.length ? [...new Set(args.status)].sort() : ['active'],
    asOf: args.asOf ?? null,
    ...parseWindow(args),
    ...pageOf(args, ctx),
    selection: periodSelection(info, ctx, nodePath),
  };
}

// A page of periods can be read by the statement that reads its entity.
readWithEntity('periods', (args, ctx, info, path) => ({ periods: periodPageRequest(args as PeriodsArgs, ctx, info, [...path, 'edges', 'node']) }));

// The timeline fields every entity has.
builder.interfaceFields(EntityRef, (t) => ({
  lastPeriod: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'The newest period.',
    resolve: (entity, _args, ctx, info) =>
      entity.lastPeriodId ? ctx.loaders.periodById.load({ item: entity.lastPeriodId, args: { selection: periodSelection(info, ctx) } }) : null,
  }),
  periods: t.field({
    type: AnalysisPeriodConnection,
    description: 'The timeline, newest first. Status defaults to [ACTIVE]; from/to keep periods overlapping [from, to).',
    args: {
      ...forwardPageArgs(t.arg),
      status: t.arg({ type: [PeriodStatusEnum], required: false, description: 'Statuses to include (default [ACTIVE]).' }),
      from: t.arg({ type: 'DateTime', required: false, description: 'Keep periods ending after this instant.' }),
      to: t.arg({ type: 'DateTime', required: false, description: 'Keep periods starting before this instant.' }),
      asOf: t.arg({
        type: 'DateTime',
        required: false,
        description: 'The timeline as it stood at this instant: periods created by then and not yet superseded then. Not combinable with status.',
      }),
    },
    resolve: (entity, args, ctx, info) => {
      const request = periodPageRequest(args, ctx, info, ['edges', 'node']);
      // Read with the entity when its statement read ahead (a topic with its periods is one statement).
      const { statuses, asOf, from, to, size, after, selection } = request;
      return entityConnection(
        { pages: ctx.loaders.periodPages, counts: ctx.loaders.periodCounts },
        keyOf(entity),
        { statuses, asOf: asOf ?? null, from: from ?? null, to: to ?? null },
        { size, after: after ?? null, selection },
        periodCursor,
        prefetched<PeriodRow[]>(entity, info),
      );
    },
  }),
  periodByNumber: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'The active period with this number (get_period_by_number).',
    args: { number: t.arg.int({ required: true, description: 'The period number.' }) },
    resolve: (entity, args, ctx, info) =>
      ctx.loaders.periodByNumber.load({ item: { ...keyOf(entity), periodNumber: args.number }, args: { selection: periodSelection(info, ctx) } }),
  }),
}));
