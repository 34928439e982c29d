import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../../context.js';
import { badUserInput } from '../../errors.js';
import { pageOfRows } from '../../services/common/pages.js';
import { ENTITY_PERIODS, periodCursor, type PeriodPageRequest, type PeriodRow } from '../../services/periods/periodReads.js';
import { builder } from '../builder.js';
import { forwardPageArgs, pageOf } from '../common/args.js';
import { resolveRange } from '../../services/common/timeWindows.js';
import { toConnection } from '../common/connection.js';
import { PeriodStatusEnum, type PeriodStatus } from '../common/enums.js';
import { registerNeeds } from '../common/selection.js';
import { sqlField } from '../common/sqlField.js';
import { EntityRef, keyOf, type EntityModel } from '../entity/entity.js';
import { AnalysisPeriodConnection, AnalysisPeriodRef, periodById, periodSelection } from './period.js';

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
    ...resolveRange({ from: args.from, to: args.to }),
    ...pageOf(args, ctx),
    selection: periodSelection(info, ctx, nodePath),
  };
}

/**
 * `Entity.periods`: one page, read with the entity (a topic with its periods is one statement)
 * or for many entities at once; totalCount counted only when selected.
 */
const resolvePeriods = sqlField('Entity', 'periods', {
  read: ENTITY_PERIODS,
  request: (args: PeriodsArgs, ctx, info, path) => periodPageRequest(args, ctx, info, [...path, 'edges', 'node']),
  result: (rows, request, entity, ctx) => {
    const { statuses, asOf, from, to } = request;
    const filter = { statuses, asOf: asOf ?? null, from: from ?? null, to: to ?? null };
    return {
      ...toConnection(pageOfRows(rows as PeriodRow[], request.size), periodCursor, request.after != null),
      totalCount: () => ctx.loaders.periodCounts.load({ item: keyOf(entity as EntityModel), args: filter }),
    };
  },
});

registerNeeds('Topic', { lastPeriod: ['lastPeriodId'] });
registerNeeds('TrackedUser', { lastPeriod: ['lastPeriodId'] });

// The timeline fields every entity has.
builder.interfaceFields(EntityRef, (t) => ({
  lastPeriod: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'The newest period.',
    resolve: (entity, _args, ctx, info) => (entity.lastPeriodId ? periodById(entity.lastPeriodId, ctx, info) : null),
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
    resolve: resolvePeriods,
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
