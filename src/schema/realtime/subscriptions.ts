import { clientKey } from '../../auth.js';
import { badUserInput, GatewayError } from '../../errors.js';
import type { Change, ChangeKind } from '../../services/changeFeed/changes.js';
import { pageLoaders } from '../../loaders.js';
import { anomalyOptions, DEFAULT_Z_THRESHOLD, ENTITY_ANOMALIES, type AnomalyOptions, type MetricAnomaly } from '../../services/analytics/anomalies.js';
import type { ChangeDelivery, Delivery } from '../../services/changeFeed/reader.js';
import type { EntityKind } from '../../services/common/entityKeys.js';
import type { GraphQLContext } from '../../context.js';
import { builder } from '../builder.js';
import { parseUuid } from '../common/args.js';
import { EntityTypeEnum } from '../common/enums.js';
import { eventFields, TemporalEventRef } from '../event/event.js';
import { MetricsTrendFreshnessRef } from '../analytics/analytics.js';
import { AnalysisPeriodRef, periodById } from '../period/period.js';

/** The change a subscription delivers; the last item of a stream that ends on an error throws it. */
function changeOf(delivery: Delivery): ChangeDelivery {
  if ('error' in delivery) throw delivery.error;
  return delivery;
}

function deleted(change: Change): GatewayError {
  const what = change.kind === 'period_created' ? 'period' : 'event';
  return new GatewayError('NOT_FOUND', `the ${what} ${change.rowId} was deleted after this change was recorded`, { id: change.rowId });
}

/**
 * Whether a delivered period is anomalous for its entity (detect_metric_anomalies, the same
 * rule and loader as `anomalies`), through the loaders of its feed page: one statement for the
 * page's entities per option set, whatever the number of subscribers waiting on it.
 */
async function isAnomalous({ change, page }: ChangeDelivery, options: AnomalyOptions, ctx: GraphQLContext): Promise<boolean> {
  const anomalies = (await pageLoaders(page, ctx.pool).entityRead.load({
    item: { entityType: change.entityType, entityId: change.entityId },
    args: { read: ENTITY_ANOMALIES, request: options },
  })) as MetricAnomaly[];
  return anomalies.some((anomaly) => anomaly.periodId === change.rowId);
}

/** The deliveries of `source` that `keep` keeps (the stream's end and its errors always pass); ending it ends the source. */
function filterDeliveries(source: AsyncIterableIterator<Delivery>, keep: (delivery: ChangeDelivery) => Promise<boolean>): AsyncIterableIterator<Delivery> {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      for (;;) {
        const result = await source.next();
        if (result.done || 'error' in result.value || (await keep(result.value))) return result;
      }
    },
    return: () => source.return!(),
    throw: (error: unknown) => source.throw!(error),
  };
}

interface FeedArgs {
  entityType?: EntityKind | null;
  entityId?: string | number | null;
  after?: string | null;
}

/** Subscribes the caller to the changes of `kinds` that its arguments filter for. */
function subscribeTo(kinds: readonly ChangeKind[], args: FeedArgs, ctx: GraphQLContext) {
  const entityId = args.entityId === null || args.entityId === undefined ? null : parseUuid(args.entityId, 'entityId');
  const entityType = args.entityType ?? null;
  const expiresAt = ctx.caller.expiresAt;
  return ctx.changeFeed.subscribe({
    accepts: (change) => kinds.includes(change.kind) && (!entityType || change.entityType === entityType) && (!entityId || change.entityId === entityId),
    client: clientKey(ctx.caller, ctx.arrival),
    // EventSource resumes by sending the last id it received.
    after: args.after ?? ctx.arrival.lastEventId ?? null,
    argument: args.after ? 'after' : 'Last-Event-ID',
    endAt: expiresAt
      ? { at: expiresAt, error: new GatewayError('UNAUTHENTICATED', 'the token has expired: subscribe again with a new token and the last cursor received', { http: { status: 401 } }) }
      : undefined,
  });
}

const EventChangeKindEnum = builder.enumType('TemporalEventChangeKind', {
  description: 'What happened to a temporal event.',
  values: {
    DETECTED: { value: 'event_detected', description: 'It was recorded.' },
    UPDATED: { value: 'event_updated', description: 'Its severity, text, metadata or period changed.' },
    RESOLVED: { value: 'event_resolved', description: 'It was resolved.' },
  } as const,
});

const TemporalEventChangeRef = builder.objectRef<ChangeDelivery>('TemporalEventChange').implement({
  description: 'A change to a temporal event, as the change feed recorded it.',
  fields: (t) => ({
    kind: t.field({ type: EventChangeKindEnum, description: 'What happened.', resolve: (d) => d.change.kind as 'event_detected' | 'event_updated' | 'event_resolved' }),
    cursor: t.string({ description: 'Position on the change feed: pass it as `after` to resume right after this change.', resolve: (d) => d.cursor }),
    event: t.field({
      type: TemporalEventRef,
      description: 'The event as it is when the change is delivered.',
      resolve: async ({ change }, _args, ctx, info) => {
        const event = await ctx.loaders.eventById.load({ item: change.rowId, args: { fields: eventFields(info) } });
        if (!event) throw deleted(change);
        return event;
      },
    }),
  }),
});

builder.subscriptionType({
  description:
    'Changes as they are committed, by this server or any other writer (from the database’s change feed). Each result carries its cursor in `extensions.cursor` (and as the SSE `id:`); `after`, or the SSE `Last-Event-ID` header, resumes right after a cursor.',
});

builder.subscriptionFields((t) => {
  const args = {
    entityType: t.arg({ type: EntityTypeEnum, required: false, description: 'Only changes of topics, or of tracked users.' }),
    entityId: t.arg.id({ required: false, description: 'Only changes of this entity.' }),
    after: t.arg.string({ required: false, description: 'Resume after this cursor: replays what came after it (within the feed’s retention), then continues live.' }),
  };
  return {
    periodCreated: t.field({
      type: AnalysisPeriodRef,
      description:
        'Each period that joins a timeline: recorded as active, or becoming active (a re-run replacing a period). With anomalousOnly, only periods whose `metric` is more than `threshold` standard deviations from the entity’s mean (detect_metric_anomalies; their `anomalies` field shows it).',
      args: {
        ...args,
        anomalousOnly: t.arg.boolean({ required: false, description: 'Only periods that are anomalies of `metric` for their entity.' }),
        metric: t.arg.string({ required: false, description: 'The metric anomalousOnly looks at (required with it).' }),
        threshold: t.arg.float({ required: false, defaultValue: DEFAULT_Z_THRESHOLD, description: 'Minimum |z-score| for anomalousOnly.' }),
      },
      subscribe: async (_root, args, ctx) => {
        if (!args.anomalousOnly) return subscribeTo(['period_created'], args, ctx);
        if (!args.metric) throw badUserInput('`anomalousOnly` needs `metric`: the metric whose anomalies to deliver', 'metric');
        const options = anomalyOptions(args.metric, args.threshold);
        return filterDeliveries(await subscribeTo(['period_created'], args, ctx), (delivery) => isAnomalous(delivery, options, ctx));
      },
      resolve: async (delivery: Delivery, _args, ctx, info) => {
        const { change } = changeOf(delivery);
        const period = await periodById(change.rowId, ctx, info);
        if (!period) throw deleted(change);
        return period;
      },
    }),
    metricsTrendRefreshed: t.field({
      type: MetricsTrendFreshnessRef,
      description: 'Each refresh of mv_period_metrics_trend (by any gateway instance, debounced after period writes), with its freshness then.',
      args: { after: args.after },
      subscribe: (_root, args, ctx) => subscribeTo(['trend_refreshed'], args, ctx),
      resolve: (delivery: Delivery, _args, ctx) => {
        changeOf(delivery);
        return ctx.loaders.trendFreshness.load('trend');
      },
    }),
    eventChanged: t.field({
      type: TemporalEventChangeRef,
      description: 'Each temporal event detected, updated or resolved, in commit order per event.',
      args,
      subscribe: (_root, args, ctx) => subscribeTo(['event_detected', 'event_updated', 'event_resolved'], args, ctx),
      resolve: (delivery: Delivery) => changeOf(delivery),
    }),
  };
});
