import type { GraphQLResolveInfo } from 'graphql';
import type { TemporalEvent } from '../../generated/prisma/client.js';
import { eventCursor, EVENT_KEY_FIELDS, PERIOD_EVENTS, PERIOD_UNRESOLVED_EVENTS } from '../../services/events/eventReads.js';
import { builder } from '../builder.js';
import { forwardPageArgs, pageOf } from '../common/args.js';
import { SeverityEnum, type SeverityLevel } from '../common/enums.js';
import { NESTED_LIST, limitedList, listLimit } from '../common/lists.js';
import { fieldsToLoad, registerNeeds } from '../common/selection.js';
import { sqlField } from '../common/sqlField.js';
import { entityConnection, entityField, EntityRef, entityTypeField, keyOf } from '../entity/entity.js';
import { AnalysisPeriodRef } from '../period/period.js';

/**
 * The event columns the events at `path` below `info`'s field need: what their selected fields
 * read, and the id; for a page (`paged`), the cursor's fields too.
 */
export function eventFields(info: GraphQLResolveInfo, path: string[] = [], { paged = false } = {}): string[] {
  return fieldsToLoad(info, 'TemporalEvent', paged ? EVENT_KEY_FIELDS : ['id'], path);
}

registerNeeds('TemporalEvent', { isResolved: ['resolvedAt'] });

export const TemporalEventRef = builder.prismaObject('TemporalEvent', {
  description: 'A controversy, trend shift, anomaly, milestone, risk or note, tracked from detection to resolution.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The database UUID.' }),
    periodId: t.exposeID('periodId', { nullable: true, description: 'The period it was recorded in; null while pending.' }),
    entityId: t.exposeID('entityId', { description: 'UUID of the topic or tracked user.' }),
    eventType: t.exposeString('eventType', { description: 'anomaly, controversy, trend_shift, milestone, risk or note.' }),
    severity: t.field({ type: SeverityEnum, description: 'How serious it is.', resolve: (e) => e.severity as SeverityLevel }),
    title: t.exposeString('title', { description: 'Short title.' }),
    description: t.exposeString('description', { description: 'What was detected.' }),
    firstDetectedAt: t.expose('firstDetectedAt', { type: 'DateTime', description: 'When it was first detected.' }),
    lastUpdatedAt: t.expose('lastUpdatedAt', { type: 'DateTime', description: 'When it last changed.' }),
    resolvedAt: t.expose('resolvedAt', { type: 'DateTime', nullable: true, description: 'When it was resolved; null while open.' }),
    resolutionNote: t.exposeString('resolutionNote', { nullable: true, description: 'How it was resolved.' }),
    isResolved: t.boolean({ description: 'Whether it has been resolved.', resolve: (e) => e.resolvedAt !== null }),
    metadata: t.expose('metadata', { type: 'JSON', description: 'Free-form details.' }),
    contents: t.relation('contents', {
      description: 'Contents related to the event, most relevant first.',
      ...limitedList(t.arg, NESTED_LIST),
      query: (args, ctx) => ({
        orderBy: [{ relevanceToEvent: { sort: 'desc', nulls: 'last' } }, { contentId: 'asc' }],
        take: listLimit(args.limit, NESTED_LIST, ctx),
      }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the row was written.' }),
  }),
});

builder.prismaObject('EventContent', {
  name: 'EventContentLink',
  description: 'A content item related to an event, with how relevant it is.',
  fields: (t) => ({
    contentId: t.exposeID('contentId', { description: 'UUID of the content.' }),
    relevance: t.exposeFloat('relevanceToEvent', { nullable: true, description: 'Relevance to the event, 0..1.' }),
    addedAt: t.expose('addedAt', { type: 'DateTime', description: 'When the link was made.' }),
    content: t.relation('content', { description: 'The content.' }),
  }),
});

export const TemporalEventConnection = builder.connectionObject(
  { type: TemporalEventRef, name: 'TemporalEventConnection', description: 'A page of temporal events, newest detection first.' },
  { name: 'TemporalEventEdge' },
);

builder.prismaObjectFields(TemporalEventRef, (t) => ({ entityType: t.field(entityTypeField), entity: t.field(entityField) }));

builder.interfaceFields(EntityRef, (t) => ({
  events: t.field({
    type: TemporalEventConnection,
    description: 'Temporal events of the entity, newest detection first.',
    args: {
      unresolvedOnly: t.arg.boolean({ required: false, description: 'Only events still open.' }),
      pendingOnly: t.arg.boolean({ required: false, description: 'Only pending events: recorded between cycles, not yet in a period.' }),
      severity: t.arg({ type: [SeverityEnum], required: false, description: 'Only these severities.' }),
      eventType: t.arg.string({ required: false, description: 'Only this event type.' }),
      ...forwardPageArgs(t.arg),
    },
    resolve: (entity, args, ctx, info) => {
      const filter = {
        unresolvedOnly: args.unresolvedOnly ?? false,
        pendingOnly: args.pendingOnly ?? false,
        severities: args.severity?.length ? [...new Set(args.severity)].sort() : null,
        eventType: args.eventType ?? null,
      };
      return entityConnection(
        { pages: ctx.loaders.eventPages, counts: ctx.loaders.eventCounts },
        keyOf(entity),
        filter,
        { ...pageOf(args, ctx), fields: eventFields(info, ['edges', 'node'], { paged: true }) },
        eventCursor,
      );
    },
  }),
}));

// What every period shows of its events: read with the period, or for many periods at once.
const resolvePeriodEvents = sqlField('AnalysisPeriod', 'events', {
  read: PERIOD_EVENTS,
  request: (args: { limit?: number | null }, ctx, info, path) => ({ fields: eventFields(info, path), limit: listLimit(args.limit, NESTED_LIST, ctx) }),
  result: (events) => events as TemporalEvent[],
});
const resolveUnresolvedCount = sqlField('AnalysisPeriod', 'unresolvedEventCount', { read: PERIOD_UNRESOLVED_EVENTS, request: () => null, result: (count) => count as number });

builder.prismaObjectFields(AnalysisPeriodRef, (t) => ({
  events: t.field({
    type: [TemporalEventRef],
    description: 'Events detected during this period, oldest first.',
    ...limitedList(t.arg, NESTED_LIST),
    resolve: resolvePeriodEvents,
  }),
  unresolvedEventCount: t.int({ description: 'Events of this period that are still open.', resolve: resolveUnresolvedCount }),
}));
