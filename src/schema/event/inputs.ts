import type { EventInput } from '../../services/events/eventWrites.js';
import { builder, type InputFields } from '../builder.js';
import { parseUuid } from '../common/args.js';
import { SeverityEnum, type SeverityLevel } from '../common/enums.js';

export const EventContentInput = builder.inputType('EventContentInput', {
  description: 'A content item related to an event.',
  fields: (t) => ({
    contentId: t.id({ required: true, description: 'UUID of the content.' }),
    relevance: t.float({ required: false, description: 'Relevance to the event, 0..1.' }),
  }),
});

/** The fields every event input shares; RecordTemporalEventInput adds where the event belongs. */
export const eventInputFields = (t: InputFields) => ({
  eventType: t.string({ required: true, description: 'anomaly, controversy, trend_shift, milestone, risk or note (a lower-case identifier).' }),
  title: t.string({ required: true, description: 'Short title (at most 256 characters).' }),
  description: t.string({ required: true, description: 'What was detected.' }),
  severity: t.field({ type: SeverityEnum, required: false, description: 'Default INFO.' }),
  firstDetectedAt: t.field({ type: 'DateTime', required: false, description: 'Default now.' }),
  metadata: t.field({ type: 'JSON', required: false, description: 'Free-form details.' }),
  contents: t.field({ type: [EventContentInput], required: false, description: 'Related contents with their relevance.' }),
});

export const PeriodEventInput = builder.inputType('PeriodEventInput', {
  description: 'An event detected during the analysis being recorded (RecordTemporalEventInput without entity or period).',
  fields: eventInputFields,
});

interface EventArgs {
  eventType: string;
  title: string;
  description: string;
  severity?: SeverityLevel | null;
  firstDetectedAt?: Date | null;
  metadata?: unknown;
  contents?: { contentId: string | number; relevance?: number | null }[] | null;
}

/** GraphQL event input → the service's, with content ids checked to be UUIDs. */
export function toEventInput(args: EventArgs, field: string): EventInput {
  return {
    ...args,
    contents: args.contents?.map((c, i) => ({ contentId: parseUuid(c.contentId, `${field}contents[${i}].contentId`), relevance: c.relevance })),
  };
}
