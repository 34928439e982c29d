import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../../context.js';
import { recordTemporalEvent, resolveTemporalEvent, updateTemporalEvent } from '../../services/events/eventWrites.js';
import { builder } from '../builder.js';
import { parseUuid } from '../common/args.js';
import { EntityTypeEnum, SeverityEnum } from '../common/enums.js';
import { eventFields, TemporalEventRef } from './event.js';
import { eventInputFields, toEventInput } from './inputs.js';

const RecordTemporalEventInput = builder.inputType('RecordTemporalEventInput', {
  description: 'A temporal event of an entity, in the period given or the entity’s newest active period.',
  fields: (t) => ({
    entityType: t.field({ type: EntityTypeEnum, required: true, description: 'TOPIC or USER.' }),
    entityId: t.id({ required: true, description: 'UUID of the entity.' }),
    periodId: t.id({ required: false, description: 'The period it was detected in (default: the newest active period).' }),
    ...eventInputFields(t),
  }),
});

const UpdateTemporalEventInput = builder.inputType('UpdateTemporalEventInput', {
  description: 'Changes to an event; fields left out keep their value.',
  fields: (t) => ({
    id: t.id({ required: true, description: 'UUID of the event.' }),
    severity: t.field({ type: SeverityEnum, required: false, description: 'New severity.' }),
    title: t.string({ required: false, description: 'New title.' }),
    description: t.string({ required: false, description: 'New description.' }),
    metadata: t.field({ type: 'JSON', required: false, description: 'New metadata (replaces the old).' }),
  }),
});

/** A written event as the mutation returns it: read after the commit, as a query reads it. */
async function writtenEvent(id: string, ctx: GraphQLContext, info: GraphQLResolveInfo) {
  const event = await ctx.loaders.eventById.load({ item: id, args: { fields: eventFields(info) } });
  if (!event) throw new Error(`the event ${id} just written is not there`);
  return event;
}

builder.mutationFields((t) => ({
  recordTemporalEvent: t.field({
    extensions: { scope: 'write' },
    type: TemporalEventRef,
    // Nullable: when a later mutation of the same request fails, this one's committed result still shows.
    nullable: true,
    description: 'Record an event detected for an entity, in the given period or its newest active one; an entity without any period gets a pending event, which its next recorded period takes.',
    args: { input: t.arg({ type: RecordTemporalEventInput, required: true, description: 'The event.' }) },
    resolve: async (_root, { input }, ctx, info) => {
      const { id } = await recordTemporalEvent(ctx.pool, {
        ...toEventInput(input, ''),
        entityType: input.entityType,
        entityId: parseUuid(input.entityId, 'entityId'),
        periodId: input.periodId != null ? parseUuid(input.periodId, 'periodId') : null,
      });
      return writtenEvent(id, ctx, info);
    },
  }),
  updateTemporalEvent: t.field({
    extensions: { scope: 'write' },
    type: TemporalEventRef,
    nullable: true,
    description: 'Change an event’s severity, title, description or metadata; bumps lastUpdatedAt.',
    args: { input: t.arg({ type: UpdateTemporalEventInput, required: true, description: 'The changes.' }) },
    resolve: async (_root, { input }, ctx, info) => {
      const { id } = await updateTemporalEvent(ctx.pool, { ...input, id: parseUuid(input.id, 'id') });
      return writtenEvent(id, ctx, info);
    },
  }),
  resolveTemporalEvent: t.field({
    extensions: { scope: 'write' },
    type: TemporalEventRef,
    nullable: true,
    description: 'Mark an event resolved now; resolving twice is an INVALID_STATE error.',
    args: {
      id: t.arg.id({ required: true, description: 'UUID of the event.' }),
      note: t.arg.string({ required: false, description: 'How it was resolved.' }),
    },
    resolve: async (_root, args, ctx, info) => {
      const { id } = await resolveTemporalEvent(ctx.pool, parseUuid(args.id, 'id'), args.note);
      return writtenEvent(id, ctx, info);
    },
  }),
}));
