import { builder } from '../builder.js';
import { SeverityEnum, type SeverityLevel } from '../common/enums.js';

export const TemporalEventRef = builder.prismaObject('TemporalEvent', {
  description: 'A controversy, trend shift, anomaly, milestone, risk or note, tracked from detection to resolution.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The database UUID.' }),
    periodId: t.exposeID('periodId', { description: 'The period it was recorded in.' }),
    period: t.relation('period', { description: 'The period it was recorded in.' }),
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
      query: { orderBy: [{ relevanceToEvent: { sort: 'desc', nulls: 'last' } }, { contentId: 'asc' }] },
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
