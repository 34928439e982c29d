import { badUserInput } from '../../errors.js';
import { periodCursor } from '../../services/periods.js';
import { builder } from '../builder.js';
import { forwardPageArgs, pageOf, parseWindow } from '../common/args.js';
import { PeriodStatusEnum } from '../common/enums.js';
import { entityConnection, EntityRef, keyOf } from '../entity/entity.js';
import { AnalysisPeriodConnection, AnalysisPeriodRef, periodSelection } from './period.js';

// The timeline fields every entity has.
builder.interfaceFields(EntityRef, (t) => ({
  lastPeriod: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'The newest period.',
    resolve: (entity, _args, ctx) =>
      entity.lastPeriodId ? ctx.prisma.analysisPeriod.findUnique({ where: { id: entity.lastPeriodId } }) : null,
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
      if (args.asOf && args.status) {
        throw badUserInput('`asOf` shows the periods that were active at that instant; it cannot be combined with `status`', 'asOf');
      }
      const filter = {
        statuses: args.status?.length ? [...new Set(args.status)].sort() : ['active'],
        asOf: args.asOf ?? null,
        ...parseWindow(args),
      };
      return entityConnection(
        { pages: ctx.loaders.periodPages, counts: ctx.loaders.periodCounts },
        keyOf(entity),
        filter,
        { ...pageOf(args, ctx), selection: periodSelection(info, ['edges', 'node']) },
        periodCursor,
      );
    },
  }),
  periodByNumber: t.field({
    type: AnalysisPeriodRef,
    nullable: true,
    description: 'The active period with this number (get_period_by_number).',
    args: { number: t.arg.int({ required: true, description: 'The period number.' }) },
    resolve: (entity, args, ctx, info) =>
      ctx.loaders.periodByNumber.load({ item: { ...keyOf(entity), periodNumber: args.number }, args: { selection: periodSelection(info) } }),
  }),
}));
