import { getArgumentValues, type GraphQLInterfaceType, type GraphQLResolveInfo } from 'graphql';
import type DataLoader from 'dataloader';
import type { GraphQLContext } from '../../context.js';
import type { Topic, TrackedUser } from '../../generated/prisma/client.js';
import type { Keyed } from '../../loaders.js';
import { ENTITY_KEY_FIELDS, type EntityExtra, type EntityExtras, type EntityFields, type EntityRowWithExtras } from '../../services/entities.js';
import type { EntityKey } from '../../services/entityKeys.js';
import { pageOfRows, type Page } from '../../services/pagination.js';
import { toConnection } from '../common/connection.js';
import { builder } from '../builder.js';
import type { PageRequest } from '../common/args.js';
import { EntityTypeEnum, type EntityKind } from '../common/enums.js';
import { fieldsToLoad, planPerRequest, selectedFieldNodes, type FieldNeeds } from '../common/selection.js';

/**
 * The Entity interface with its own fields. Each domain adds the fields it owns to it
 * (`builder.interfaceFields(EntityRef, ...)` next to its types): periods, events, crawl
 * effectiveness, analytics.
 */

/** A topic or tracked user row, loaded with the fields the request selected. */
export type EntityModel = Topic | TrackedUser;

/** Users (tracked accounts) have a profile URL, always loaded; topics do not. */
function entityKindOf(entity: EntityModel): EntityKind {
  return 'profileUrl' in entity ? 'user' : 'topic';
}

export function keyOf(entity: EntityModel): EntityKey {
  return { entityType: entityKindOf(entity), entityId: entity.id };
}

/** Entity fields that read other columns than their own name. */
const ENTITY_NEEDS: FieldNeeds = { lastPeriod: ['lastPeriodId'] };

/**
 * Entity fields that the entity's own statement can read too, so that a topic with its periods
 * is one statement: each domain registers its fields next to their definitions. A planner turns
 * the field's arguments into what to read, throwing when they are invalid (the field's own
 * resolver then reports that, as it would without the read ahead).
 */
export type EntityExtraPlanner = (args: Record<string, unknown>, ctx: GraphQLContext, info: GraphQLResolveInfo, path: string[]) => EntityExtra;
const extraPlanners = new Map<string, EntityExtraPlanner>();

export function readWithEntity(fieldName: string, planner: EntityExtraPlanner): void {
  extraPlanners.set(fieldName, planner);
}

/**
 * What the entity's statement reads for the field being resolved: read ahead by the statement
 * that loaded the entity, under the field's response key (null when it was not).
 */
export function prefetched<T>(entity: EntityModel, info: GraphQLResolveInfo): T | undefined {
  return (entity as EntityRowWithExtras).prefetched?.[info.path.key as string] as T | undefined;
}

function entityExtras(info: GraphQLResolveInfo, ctx: GraphQLContext, path: string[]): EntityExtras | null {
  return planPerRequest(info, `extras:${path.join('.')}`, () => {
    const extras: EntityExtras = {};
    const entityFieldDefs = (info.schema.getType('Entity') as GraphQLInterfaceType).getFields();
    for (const node of selectedFieldNodes(info, path)) {
      const planner = extraPlanners.get(node.name.value);
      if (!planner) continue;
      try {
        extras[node.alias?.value ?? node.name.value] = planner(getArgumentValues(entityFieldDefs[node.name.value]!, node, info.variableValues), ctx, info, [
          ...path,
          node.name.value,
        ]);
      } catch {
        // invalid arguments: left to the field's resolver, which reports them
      }
    }
    return Object.keys(extras).length ? extras : null;
  });
}

/** The topic and user columns the entity at `path` below `info`'s field needs, and what to read with it. */
export function entityFields(info: GraphQLResolveInfo, ctx: GraphQLContext, path: string[] = []): EntityFields {
  return {
    topic: fieldsToLoad(info, 'Topic', ENTITY_NEEDS, ENTITY_KEY_FIELDS.topic, path),
    user: fieldsToLoad(info, 'TrackedUser', ENTITY_NEEDS, ENTITY_KEY_FIELDS.user, path),
    extras: entityExtras(info, ctx, path),
  };
}

/** Loads one entity with what the field's selection needs; null when there is none. */
export function loadEntity(ctx: GraphQLContext, info: GraphQLResolveInfo, key: EntityKey): Promise<EntityModel | null> {
  return ctx.loaders.entity.load({ item: key, args: entityFields(info, ctx) });
}

/**
 * A per-entity connection from a page loader and a count loader: the page is loaded with the
 * other entities' pages in one statement (unless the entity's own statement read it ahead:
 * `rendered`, its rows with the look-ahead one); the count only when the client asks for
 * totalCount.
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
  rendered?: Node[],
) {
  const loaded = rendered ? pageOfRows(rendered, page.size) : await loaders.pages.load({ item: entity, args: { ...filter, ...page } });
  return { ...toConnection(loaded, cursorOf, page.after !== null), totalCount: () => loaders.counts.load({ item: entity, args: filter }) };
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

/** What a row's `entity` field reads (`entityType` is a column of its own, loaded when selected). */
export const ENTITY_ROW_NEEDS: FieldNeeds = { entity: ['entityType', 'entityId'] };
