import { builder } from '../builder.js';

// Enum values are UPPER_CASE in GraphQL and map to the lower-case strings stored in SQL, so
// resolvers pass arguments straight to queries and expose columns without translating.

export const EntityTypeEnum = builder.enumType('EntityType', {
  description: 'The kind of monitored entity an analysis period belongs to.',
  values: {
    TOPIC: { value: 'topic', description: 'A monitored topic (table topics).' },
    USER: { value: 'user', description: 'A tracked social-media account (table users).' },
  } as const,
});

export const PeriodStatusEnum = builder.enumType('PeriodStatus', {
  description: 'Lifecycle state of an analysis period. Only ACTIVE periods form the timeline.',
  values: {
    ACTIVE: { value: 'active', description: 'Part of the timeline.' },
    DRAFT: { value: 'draft', description: 'Being written; not yet part of the timeline.' },
    SUPERSEDED: { value: 'superseded', description: 'Replaced by a re-run analysis (see supersededBy).' },
    FAILED: { value: 'failed', description: 'The analysis failed.' },
    ARCHIVED: { value: 'archived', description: 'Kept for audit, out of the timeline.' },
  } as const,
});

export const SeverityEnum = builder.enumType('Severity', {
  description: 'How serious a temporal event is.',
  values: {
    INFO: { value: 'info', description: 'Informational.' },
    WARNING: { value: 'warning', description: 'Needs attention.' },
    CRITICAL: { value: 'critical', description: 'Needs action now.' },
  } as const,
});

export type { EntityKind } from '../../services/common/entityKeys.js';
export type PeriodStatus = 'active' | 'draft' | 'superseded' | 'failed' | 'archived';
export type { SeverityLevel } from '../../services/events/severities.js';
