import type { GraphQLContext } from '../../context.js';
import type { EntityKind } from '../../services/entityKeys.js';
import { PeriodTimelineEntryRef } from '../analytics/analytics.js';
import { builder } from '../builder.js';
import { EntityTypeEnum } from '../common/enums.js';
import { CrawlEffectivenessRef } from '../crawl/crawl.js';
import { TemporalEventRef } from '../event/event.js';
import { AnalysisPeriodRef } from '../period/period.js';
import { EntityRef, type EntityModel } from './entity.js';

/**
 * Rows that point at their topic or tracked user through an (entity_type, entity_id) pair get
 * the same two fields, defined here once. The pair has no foreign key, so a missing entity is
 * an internal inconsistency, reported as such (masked for clients).
 */
interface EntityRow {
  entityType: string;
  entityId: string;
}

async function entityOf(row: EntityRow, _args: object, ctx: GraphQLContext): Promise<EntityModel> {
  const entity = await ctx.loaders.entity.load({ entityType: row.entityType as EntityKind, entityId: row.entityId });
  if (!entity) throw new Error(`${row.entityType} ${row.entityId} does not exist`);
  return entity;
}

const entityTypeField = {
  type: EntityTypeEnum,
  description: 'Kind of the entity it belongs to: TOPIC or USER.',
  resolve: (row: EntityRow) => row.entityType as EntityKind,
};
const entityField = { type: EntityRef, description: 'The topic or tracked user it belongs to.', resolve: entityOf };

builder.objectFields(AnalysisPeriodRef, (t) => ({ entityType: t.field(entityTypeField), entity: t.field(entityField) }));
builder.objectFields(TemporalEventRef, (t) => ({ entityType: t.field(entityTypeField), entity: t.field(entityField) }));
builder.objectFields(CrawlEffectivenessRef, (t) => ({ entityType: t.field(entityTypeField), entity: t.field(entityField) }));
builder.objectFields(PeriodTimelineEntryRef, (t) => ({ entityType: t.field(entityTypeField), entity: t.field(entityField) }));
