import { queryFromInfo } from '@pothos/plugin-prisma';
import type { Topic, TrackedUser } from '../../generated/prisma/client.js';
import { badUserInput } from '../../errors.js';
import type DataLoader from 'dataloader';
import type { Keyed } from '../../loaders.js';
import { toConnection, type Page } from '../../services/pagination.js';
import { contentTimelineCursor, effectivenessCursor, eventCursor } from '../../services/entityFeeds.js';
import { periodCursor, type EntityKey, type PeriodSelection } from '../../services/periods.js';
import { builder } from '../builder.js';
import { forwardPageArgs, pageOf, parseWindow, type PageRequest } from '../common/args.js';
import { EntityTypeEnum, PeriodStatusEnum, SeverityEnum, type EntityKind } from '../common/enums.js';
import {
  ContentTimelineConnection,
  EntityTimelineSummaryRef,
  MetricAnomalyRef,
  MetricTrendPointRef,
} from '../analytics/analytics.js';
import { CrawlEffectivenessConnection } from '../crawl/crawl.js';
import { TemporalEventConnection } from '../event/event.js';
import { AnalysisPeriodConnection, AnalysisPeriodRef } from '../period/period.js';

export type EntityModel = Topic | TrackedUser;

/** Users (tracked accounts) have a profile URL; topics do not. */
function entityKindOf(entity: EntityModel): EntityKind {
  return 'profileUrl' in entity ? 'user' : 'topic';
}

function keyOf(entity: EntityModel): EntityKey {
  return { entityType: entityKindOf(entity), entityId: entity.id };
}

/**
 * A per-entity connection from a page loader and a count loader: the page is loaded with the
 * other entities' pages in one statement; the count only when the client asks for totalCount.
 */
async function entityConnection<Filter, Node, Request extends PageRequest = PageRequest>(
  loaders: { pages: DataLoader<Keyed<Filter & Request>, Page<Node>, string>; counts: DataLoader<Keyed<Filter>, number, string> },
  entity: EntityKey,
  filter: Filter,
  page: Request,
  cursorOf: (node: Node) => string,
) {
  const loaded = await loaders.pages.load({ entity, args: { ...filter, ...page } });
  return { ...toConnection(loaded, cursorOf, page.after !== null), totalCount: () => loaders.counts.load({ entity, args: filter }) };
}

export const EntityRef = builder.interfaceRef<EntityModel>('Entity').implement({
  description: 'A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods.',
  resolveType: (entity) => (entityKindOf(entity) === 'user' ? 'TrackedUser' : 'Topic'),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The database UUID.' }),
    entityType: t.field({ type: EntityTypeEnum, description: 'TOPIC or USER.', resolve: (entity) => entityKindOf(entity) }),
    name: t.exposeString('name', { description: 'Display name.' }),
    currentPeriodNumber: t.exposeInt('currentPeriodNumber', { nullable: true, description: 'Number of the newest period (null before the first).' }),
    totalPeriods: t.exposeInt('totalPeriods', { description: 'Count of active periods.' }),
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
      resolve: async (entity, args, ctx, info) => {
        if (args.asOf && args.status) {
          throw badUserInput('`asOf` shows the periods that were active at that instant; it cannot be combined with `status`', 'asOf');
        }
        const filter = {
          statuses: args.status?.length ? [...new Set(args.status)].sort() : ['active'],
          asOf: args.asOf ?? null,
          ...parseWindow(args),
        };
        const selection = queryFromInfo({ context: ctx, info, typeName: 'AnalysisPeriod', path: ['edges', 'node'] }) as PeriodSelection;
        // The periods' `entity` field resolves to this entity without another query.
        ctx.loaders.entity.prime(keyOf(entity), entity);
        return entityConnection(
          { pages: ctx.loaders.periodPages, counts: ctx.loaders.periodCounts },
          keyOf(entity),
          filter,
          { ...pageOf(args, ctx), selection },
          periodCursor,
        );
      },
    }),
    periodByNumber: t.field({
      type: AnalysisPeriodRef,
      nullable: true,
      description: 'The active period with this number (get_period_by_number).',
      args: { number: t.arg.int({ required: true, description: 'The period number.' }) },
      resolve: (entity, args, ctx) => ctx.loaders.periodByNumber.load({ ...keyOf(entity), periodNumber: args.number }),
    }),
    timelineSummary: t.field({
      type: EntityTimelineSummaryRef,
      nullable: true,
      description: 'Totals over the active periods (v_entity_timeline_summary); null before the first period.',
      resolve: (entity, _args, ctx) => ctx.loaders.timelineSummary.load(keyOf(entity)),
    }),
    metricTrend: t.field({
      type: [MetricTrendPointRef],
      description: 'Metrics per active period with the two before (mv_period_metrics_trend), oldest first.',
      args: {
        metric: t.arg.string({ required: false, description: 'Only periods holding this metric; fills value fields.' }),
        last: t.arg.int({ required: false, description: 'Only the newest N periods.' }),
      },
      resolve: async (entity, args, ctx) => {
        if (args.last !== null && args.last !== undefined && args.last < 1) {
          throw badUserInput('`last` must be at least 1', 'last');
        }
        const points = await ctx.loaders.metricTrend.load({ entity: keyOf(entity), args: { metric: args.metric ?? null, last: args.last ?? null } });
        return points.map((point) => ({ ...point, metric: args.metric ?? undefined }));
      },
    }),
    anomalies: t.field({
      type: [MetricAnomalyRef],
      description: 'Active periods whose metric is more than `threshold` standard deviations from the mean, newest first.',
      args: {
        metric: t.arg.string({ required: true, description: 'The metric key, e.g. total_posts.' }),
        threshold: t.arg.float({ required: false, defaultValue: 2.0, description: 'Minimum |z-score|.' }),
      },
      resolve: (entity, args, ctx) =>
        ctx.loaders.anomalies.load({ entity: keyOf(entity), args: { metric: args.metric, threshold: args.threshold ?? 2.0 } }),
    }),
    contentTimeline: t.field({
      type: ContentTimelineConnection,
      description: 'Snapshots of active periods inside [from, to] (get_content_timeline): newest period first, then relevance.',
      args: {
        from: t.arg({ type: 'DateTime', required: false, description: 'Periods starting at or after this instant.' }),
        to: t.arg({ type: 'DateTime', required: false, description: 'Periods ending at or before this instant.' }),
        minRelevance: t.arg.float({ required: false, defaultValue: 0, description: 'Minimum relevance (unscored snapshots pass).' }),
        ...forwardPageArgs(t.arg),
      },
      resolve: async (entity, args, ctx) => {
        const filter = { ...parseWindow(args), minRelevance: args.minRelevance ?? 0 };
        return entityConnection(
          { pages: ctx.loaders.contentTimelinePages, counts: ctx.loaders.contentTimelineCounts },
          keyOf(entity),
          filter,
          pageOf(args, ctx),
          contentTimelineCursor,
        );
      },
    }),
    events: t.field({
      type: TemporalEventConnection,
      description: 'Temporal events of the entity, newest detection first.',
      args: {
        unresolvedOnly: t.arg.boolean({ required: false, description: 'Only events still open.' }),
        severity: t.arg({ type: [SeverityEnum], required: false, description: 'Only these severities.' }),
        eventType: t.arg.string({ required: false, description: 'Only this event type.' }),
        ...forwardPageArgs(t.arg),
      },
      resolve: async (entity, args, ctx) => {
        const filter = {
          unresolvedOnly: args.unresolvedOnly ?? false,
          severities: args.severity?.length ? [...new Set(args.severity)].sort() : null,
          eventType: args.eventType ?? null,
        };
        return entityConnection({ pages: ctx.loaders.eventPages, counts: ctx.loaders.eventCounts }, keyOf(entity), filter, pageOf(args, ctx), eventCursor);
      },
    }),
    crawlEffectiveness: t.field({
      type: CrawlEffectivenessConnection,
      description: 'Crawl queries ranked by effectiveness (v_crawl_effectiveness_ranking), best first.',
      args: {
        platform: t.arg.string({ required: false, description: 'Only this platform.' }),
        querySearch: t.arg.string({ required: false, description: 'Only queries similar to this text (trigram similarity).' }),
        ...forwardPageArgs(t.arg),
      },
      resolve: async (entity, args, ctx) => {
        const filter = { platform: args.platform ?? null, querySearch: args.querySearch || null };
        return entityConnection(
          { pages: ctx.loaders.effectivenessPages, counts: ctx.loaders.effectivenessCounts },
          keyOf(entity),
          filter,
          pageOf(args, ctx),
          effectivenessCursor,
        );
      },
    }),
  }),
});
