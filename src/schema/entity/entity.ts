import type { GraphQLResolveInfo } from 'graphql';
import type DataLoader from 'dataloader';
import type { GraphQLContext } from '../../context.js';
import type { Topic, TrackedUser } from '../../generated/prisma/client.js';
import type { Keyed } from '../../loaders.js';
import { ENTITY_KEY_FIELDS, entityKeyOf, type EntityFields } from '../../services/entities/entityReads.js';
import type { EntityKey } from '../../services/common/entityKeys.js';
import type { Page } from '../../services/common/pages.js';
import { toConnection } from '../common/connection.js';
import { builder } from '../builder.js';
import type { PageRequest } from '../common/args.js';
import { EntityTypeEnum, type EntityKind } from '../common/enums.js';
import { fieldsToLoad, registerNeeds } from '../common/selection.js';
import { readAheadFor } from '../common/sqlField.js';

/**
 * The Entity interface with its own fields. Each domain adds the fields it owns to it
 * (`builder.interfaceFields(EntityRef, ...)` next to its types): periods, events, crawl
 * effectiveness, analytics; a field that is one SQL read is declared with `sqlField`, and every
 * statement that loads entities reads it ahead.
 */

/** A topic or tracked user row, loaded with the fields the request selected. */
export type EntityModel = Topic | TrackedUser;

export function keyOf(entity: EntityModel): EntityKey {
  return entityKeyOf(entity);
}

/** The topic and user columns the entity at `path` below `info`'s field needs, and what its statement reads ahead. */
export function entityFields(info: GraphQLResolveInfo, ctx: GraphQLContext, path: string[] = []): EntityFields {
  return {
    topic: fieldsToLoad(info, 'Topic', ENTITY_KEY_FIELDS.topic, path),
    user: fieldsToLoad(info, 'TrackedUser', ENTITY_KEY_FIELDS.user, path),
    readAhead: readAheadFor('Entity', info, ctx, path),
  };
}

/** Loads one entity with what the field's selection needs; null when there is none. */
export function loadEntity(ctx: GraphQLContext, info: GraphQLResolveInfo, key: EntityKey): Promise<EntityModel | null> {
  return ctx.loaders.entity.load({ item: key, args: entityFields(info, ctx) });
}

/**
 * A per-entity connection from a page loader and a count loader: the page is loaded with the
 * other entities' pages in one statement; the count only when the client asks for totalCount.
 */
export async function entityConnection<Filter, Node, Request extends PageRequest = PageRequest>(
  loaders: {
    pages: DataLoader<Keyed<EntityKey, Filter & Request>, Page<Node>, string>;
    counts: DataLoader<Keyed<EntityKey, Filter>, number, string>;
  },
  entity: EntityKey,
  filter: Filter,
  page: Request,
  cursorOf: (node: Node) => string,
) {
  const loaded = await loaders.pages.load({ item: entity, args: { ...filter, ...page } });
  return { ...toConnection(loaded, cursorOf, page.after !== null), totalCount: () => loaders.counts.load({ item: entity, args: filter }) };
}

export const EntityRef = builder.interfaceRef<EntityModel>('Entity').implement({
  description: 'A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods.',
  resolveType: (entity) => (keyOf(entity).entityType === 'user' ? 'TrackedUser' : 'Topic'),
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The database UUID.' }),
    entityType: t.field({ type: EntityTypeEnum, description: 'TOPIC or USER.', resolve: (entity) => keyOf(entity).entityType }),
    name: t.exposeString('name', { description: 'Display name.' }),
    currentPeriodNumber: t.exposeInt('currentPeriodNumber', { nullable: true, description: 'Number of the newest period (null before the first).' }),
    totalPeriods: t.exposeInt('totalPeriods', { description: 'Count of active periods.' }),
  }),
});

/**
 * Rows that point at their topic or tracked user through an (entity_type, entity_id) pair get
 * the same two fields (each domain adds them to its row types). The pair has no foreign key,
 * so a missing entity is an internal inconsistency, reported as such (masked for clients).
 */
interface EntityRow {
  entityType: string;
  entityId: string;
}

export const entityTypeField = {
  type: EntityTypeEnum,
  description: 'Kind of the entity it belongs to: TOPIC or USER.',
  resolve: (row: EntityRow) => row.entityType as EntityKind,
};

export const entityField = {
  type: EntityRef,
  description: 'The topic or tracked user it belongs to.',
  resolve: async (row: EntityRow, _args: object, ctx: GraphQLContext, info: GraphQLResolveInfo): Promise<EntityModel> => {
    const entity = await loadEntity(ctx, info, { entityType: row.entityType as EntityKind, entityId: row.entityId });
    if (!entity) throw new Error(`${row.entityType} ${row.entityId} does not exist`);
    return entity;
  },
};

// What a row's `entity` field reads (`entityType` is a column of its own, loaded when selected).
for (const model of ['AnalysisPeriod', 'TemporalEvent', 'CrawlEffectiveness'] as const) registerNeeds(model, { entity: ['entityType', 'entityId'] });
