/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query ExplorerEntities($search: String, $status: String, $first: Int!) {\n    topics(first: $first, search: $search, status: $status) {\n      edges { node { id name status totalPeriods lastPeriod { analyzedAt } } }\n    }\n    trackedUsers(first: $first, search: $search, status: $status) {\n      edges { node { id name status platform totalPeriods lastPeriod { analyzedAt } } }\n    }\n  }\n": typeof types.ExplorerEntitiesDocument,
    "\n  query ExplorerEntity($type: EntityType!, $id: ID!) {\n    entity(type: $type, id: $id) {\n      __typename id name entityType totalPeriods currentPeriodNumber\n      timelineGaps(limit: 1000) { start end hours }\n      lastPeriod { metrics }\n    }\n  }\n": typeof types.ExplorerEntityDocument,
    "\n  query ExplorerPeriods($type: EntityType!, $id: ID!, $after: String, $eventLimit: Int!) {\n    entity(type: $type, id: $id) {\n      periods(first: 100, after: $after, status: [ACTIVE, SUPERSEDED, DRAFT, ARCHIVED, FAILED]) {\n        edges {\n          node {\n            id periodNumber status periodStart periodEnd analyzedAt summaryShort\n            events(limit: $eventLimit) { id title eventType severity firstDetectedAt resolvedAt }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.ExplorerPeriodsDocument,
    "\n  query ExplorerEvents($type: EntityType!, $id: ID!, $severity: [Severity!], $pendingOnly: Boolean, $after: String) {\n    entity(type: $type, id: $id) {\n      events(first: 100, after: $after, severity: $severity, pendingOnly: $pendingOnly) {\n        edges { node { id title eventType severity firstDetectedAt resolvedAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": typeof types.ExplorerEventsDocument,
    "\n  query ExplorerSeries($type: EntityType!, $id: ID!, $metric: String!, $bucket: TimeBucket!, $fill: GapFill!) {\n    entity(type: $type, id: $id) {\n      metricSeries(metric: $metric, bucket: $bucket, fill: $fill) { start end value periodCount filled }\n      anomalies(metric: $metric, threshold: 2) { periodId periodNumber metricValue zScore period { periodEnd } }\n    }\n  }\n": typeof types.ExplorerSeriesDocument,
    "\n  query ExplorerPeriod($id: ID!) {\n    period(id: $id) {\n      id periodNumber status periodStart periodEnd analyzedAt summary insights metrics qualityScore completenessScore\n      metricChanges { key previous current absolute percent }\n      events { id title severity eventType firstDetectedAt resolvedAt description }\n      crawlEffectiveness { id platform query totalFound relevantCount effectivenessScore }\n      supersededBy { id periodNumber }\n      supersedes { id periodNumber analyzedAt supersessionReason }\n    }\n  }\n": typeof types.ExplorerPeriodDocument,
    "\n  query ExplorerCompare($type: EntityType!, $id: ID!, $from: Int!, $to: Int!) {\n    comparePeriods(entityType: $type, entityId: $id, from: $from, to: $to) {\n      elapsedHours contentCountChange qualityChange completenessChange\n      metrics { key previous current absolute percent }\n      eventsOpened { id title severity } eventsResolved { id title severity } eventsOngoing { id title severity }\n      contentOverlap { shared onlyFrom onlyTo }\n    }\n  }\n": typeof types.ExplorerCompareDocument,
    "\n  subscription ExplorerLivePeriods($type: EntityType, $id: ID, $after: String) {\n    periodCreated(entityType: $type, entityId: $id, after: $after) { id entityId periodNumber status periodStart periodEnd analyzedAt summaryShort }\n  }\n": typeof types.ExplorerLivePeriodsDocument,
    "\n  subscription ExplorerLiveEvents($type: EntityType, $id: ID, $after: String) {\n    eventChanged(entityType: $type, entityId: $id, after: $after) { kind event { id title eventType severity firstDetectedAt resolvedAt } }\n  }\n": typeof types.ExplorerLiveEventsDocument,
    "\n  subscription ExplorerLiveTrend($after: String) {\n    metricsTrendRefreshed(after: $after) { refreshedAt }\n  }\n": typeof types.ExplorerLiveTrendDocument,
};
const documents: Documents = {
    "\n  query ExplorerEntities($search: String, $status: String, $first: Int!) {\n    topics(first: $first, search: $search, status: $status) {\n      edges { node { id name status totalPeriods lastPeriod { analyzedAt } } }\n    }\n    trackedUsers(first: $first, search: $search, status: $status) {\n      edges { node { id name status platform totalPeriods lastPeriod { analyzedAt } } }\n    }\n  }\n": types.ExplorerEntitiesDocument,
    "\n  query ExplorerEntity($type: EntityType!, $id: ID!) {\n    entity(type: $type, id: $id) {\n      __typename id name entityType totalPeriods currentPeriodNumber\n      timelineGaps(limit: 1000) { start end hours }\n      lastPeriod { metrics }\n    }\n  }\n": types.ExplorerEntityDocument,
    "\n  query ExplorerPeriods($type: EntityType!, $id: ID!, $after: String, $eventLimit: Int!) {\n    entity(type: $type, id: $id) {\n      periods(first: 100, after: $after, status: [ACTIVE, SUPERSEDED, DRAFT, ARCHIVED, FAILED]) {\n        edges {\n          node {\n            id periodNumber status periodStart periodEnd analyzedAt summaryShort\n            events(limit: $eventLimit) { id title eventType severity firstDetectedAt resolvedAt }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.ExplorerPeriodsDocument,
    "\n  query ExplorerEvents($type: EntityType!, $id: ID!, $severity: [Severity!], $pendingOnly: Boolean, $after: String) {\n    entity(type: $type, id: $id) {\n      events(first: 100, after: $after, severity: $severity, pendingOnly: $pendingOnly) {\n        edges { node { id title eventType severity firstDetectedAt resolvedAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n": types.ExplorerEventsDocument,
    "\n  query ExplorerSeries($type: EntityType!, $id: ID!, $metric: String!, $bucket: TimeBucket!, $fill: GapFill!) {\n    entity(type: $type, id: $id) {\n      metricSeries(metric: $metric, bucket: $bucket, fill: $fill) { start end value periodCount filled }\n      anomalies(metric: $metric, threshold: 2) { periodId periodNumber metricValue zScore period { periodEnd } }\n    }\n  }\n": types.ExplorerSeriesDocument,
    "\n  query ExplorerPeriod($id: ID!) {\n    period(id: $id) {\n      id periodNumber status periodStart periodEnd analyzedAt summary insights metrics qualityScore completenessScore\n      metricChanges { key previous current absolute percent }\n      events { id title severity eventType firstDetectedAt resolvedAt description }\n      crawlEffectiveness { id platform query totalFound relevantCount effectivenessScore }\n      supersededBy { id periodNumber }\n      supersedes { id periodNumber analyzedAt supersessionReason }\n    }\n  }\n": types.ExplorerPeriodDocument,
    "\n  query ExplorerCompare($type: EntityType!, $id: ID!, $from: Int!, $to: Int!) {\n    comparePeriods(entityType: $type, entityId: $id, from: $from, to: $to) {\n      elapsedHours contentCountChange qualityChange completenessChange\n      metrics { key previous current absolute percent }\n      eventsOpened { id title severity } eventsResolved { id title severity } eventsOngoing { id title severity }\n      contentOverlap { shared onlyFrom onlyTo }\n    }\n  }\n": types.ExplorerCompareDocument,
    "\n  subscription ExplorerLivePeriods($type: EntityType, $id: ID, $after: String) {\n    periodCreated(entityType: $type, entityId: $id, after: $after) { id entityId periodNumber status periodStart periodEnd analyzedAt summaryShort }\n  }\n": types.ExplorerLivePeriodsDocument,
    "\n  subscription ExplorerLiveEvents($type: EntityType, $id: ID, $after: String) {\n    eventChanged(entityType: $type, entityId: $id, after: $after) { kind event { id title eventType severity firstDetectedAt resolvedAt } }\n  }\n": types.ExplorerLiveEventsDocument,
    "\n  subscription ExplorerLiveTrend($after: String) {\n    metricsTrendRefreshed(after: $after) { refreshedAt }\n  }\n": types.ExplorerLiveTrendDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerEntities($search: String, $status: String, $first: Int!) {\n    topics(first: $first, search: $search, status: $status) {\n      edges { node { id name status totalPeriods lastPeriod { analyzedAt } } }\n    }\n    trackedUsers(first: $first, search: $search, status: $status) {\n      edges { node { id name status platform totalPeriods lastPeriod { analyzedAt } } }\n    }\n  }\n"): typeof import('./graphql').ExplorerEntitiesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerEntity($type: EntityType!, $id: ID!) {\n    entity(type: $type, id: $id) {\n      __typename id name entityType totalPeriods currentPeriodNumber\n      timelineGaps(limit: 1000) { start end hours }\n      lastPeriod { metrics }\n    }\n  }\n"): typeof import('./graphql').ExplorerEntityDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerPeriods($type: EntityType!, $id: ID!, $after: String, $eventLimit: Int!) {\n    entity(type: $type, id: $id) {\n      periods(first: 100, after: $after, status: [ACTIVE, SUPERSEDED, DRAFT, ARCHIVED, FAILED]) {\n        edges {\n          node {\n            id periodNumber status periodStart periodEnd analyzedAt summaryShort\n            events(limit: $eventLimit) { id title eventType severity firstDetectedAt resolvedAt }\n          }\n        }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): typeof import('./graphql').ExplorerPeriodsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerEvents($type: EntityType!, $id: ID!, $severity: [Severity!], $pendingOnly: Boolean, $after: String) {\n    entity(type: $type, id: $id) {\n      events(first: 100, after: $after, severity: $severity, pendingOnly: $pendingOnly) {\n        edges { node { id title eventType severity firstDetectedAt resolvedAt } }\n        pageInfo { hasNextPage endCursor }\n      }\n    }\n  }\n"): typeof import('./graphql').ExplorerEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerSeries($type: EntityType!, $id: ID!, $metric: String!, $bucket: TimeBucket!, $fill: GapFill!) {\n    entity(type: $type, id: $id) {\n      metricSeries(metric: $metric, bucket: $bucket, fill: $fill) { start end value periodCount filled }\n      anomalies(metric: $metric, threshold: 2) { periodId periodNumber metricValue zScore period { periodEnd } }\n    }\n  }\n"): typeof import('./graphql').ExplorerSeriesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerPeriod($id: ID!) {\n    period(id: $id) {\n      id periodNumber status periodStart periodEnd analyzedAt summary insights metrics qualityScore completenessScore\n      metricChanges { key previous current absolute percent }\n      events { id title severity eventType firstDetectedAt resolvedAt description }\n      crawlEffectiveness { id platform query totalFound relevantCount effectivenessScore }\n      supersededBy { id periodNumber }\n      supersedes { id periodNumber analyzedAt supersessionReason }\n    }\n  }\n"): typeof import('./graphql').ExplorerPeriodDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplorerCompare($type: EntityType!, $id: ID!, $from: Int!, $to: Int!) {\n    comparePeriods(entityType: $type, entityId: $id, from: $from, to: $to) {\n      elapsedHours contentCountChange qualityChange completenessChange\n      metrics { key previous current absolute percent }\n      eventsOpened { id title severity } eventsResolved { id title severity } eventsOngoing { id title severity }\n      contentOverlap { shared onlyFrom onlyTo }\n    }\n  }\n"): typeof import('./graphql').ExplorerCompareDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ExplorerLivePeriods($type: EntityType, $id: ID, $after: String) {\n    periodCreated(entityType: $type, entityId: $id, after: $after) { id entityId periodNumber status periodStart periodEnd analyzedAt summaryShort }\n  }\n"): typeof import('./graphql').ExplorerLivePeriodsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ExplorerLiveEvents($type: EntityType, $id: ID, $after: String) {\n    eventChanged(entityType: $type, entityId: $id, after: $after) { kind event { id title eventType severity firstDetectedAt resolvedAt } }\n  }\n"): typeof import('./graphql').ExplorerLiveEventsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ExplorerLiveTrend($after: String) {\n    metricsTrendRefreshed(after: $after) { refreshedAt }\n  }\n"): typeof import('./graphql').ExplorerLiveTrendDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
