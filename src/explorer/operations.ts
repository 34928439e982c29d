import { graphql } from './gql/index.js';

/** Every operation the explorer sends: typed by `npm run codegen`, and listed in the persisted-documents manifest the gateway serves. */

export const EntityListQuery = graphql(`
  query ExplorerEntities($search: String, $status: String, $first: Int!) {
    topics(first: $first, search: $search, status: $status) {
      edges { node { id name status totalPeriods lastPeriod { analyzedAt } } }
    }
    trackedUsers(first: $first, search: $search, status: $status) {
      edges { node { id name status platform totalPeriods lastPeriod { analyzedAt } } }
    }
  }
`);

export const EntityQuery = graphql(`
  query ExplorerEntity($type: EntityType!, $id: ID!) {
    entity(type: $type, id: $id) {
      __typename id name entityType totalPeriods currentPeriodNumber
      timelineGaps(limit: 1000) { start end hours }
      lastPeriod { metrics }
    }
  }
`);

/**
 * A page of the entity's periods, every status, each with its events (up to `$eventLimit`): the
 * timeline and its event lane in one chain of requests. Every event but the pending ones belongs
 * to one period, so the pages hold all of them unless a period has more than the limit.
 */
export const PeriodPageQuery = graphql(`
  query ExplorerPeriods($type: EntityType!, $id: ID!, $after: String, $eventLimit: Int!) {
    entity(type: $type, id: $id) {
      periods(first: 100, after: $after, status: [ACTIVE, SUPERSEDED, DRAFT, ARCHIVED, FAILED]) {
        edges {
          node {
            id periodNumber status periodStart periodEnd analyzedAt summaryShort
            events(limit: $eventLimit) { id title eventType severity firstDetectedAt resolvedAt }
          }
        }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

/** A page of the entity's events: the pending ones (no period yet), or by severity when a period has more than the period pages carry. */
export const EventPageQuery = graphql(`
  query ExplorerEvents($type: EntityType!, $id: ID!, $severity: [Severity!], $pendingOnly: Boolean, $after: String) {
    entity(type: $type, id: $id) {
      events(first: 100, after: $after, severity: $severity, pendingOnly: $pendingOnly) {
        edges { node { id title eventType severity firstDetectedAt resolvedAt } }
        pageInfo { hasNextPage endCursor }
      }
    }
  }
`);

export const SeriesQuery = graphql(`
  query ExplorerSeries($type: EntityType!, $id: ID!, $metric: String!, $bucket: TimeBucket!, $fill: GapFill!) {
    entity(type: $type, id: $id) {
      metricSeries(metric: $metric, bucket: $bucket, fill: $fill) { start end value periodCount filled }
      anomalies(metric: $metric, threshold: 2) { periodId periodNumber metricValue zScore period { periodEnd } }
    }
  }
`);

export const PeriodQuery = graphql(`
  query ExplorerPeriod($id: ID!) {
    period(id: $id) {
      id periodNumber status periodStart periodEnd analyzedAt summary insights metrics qualityScore completenessScore
      metricChanges { key previous current absolute percent }
      events { id title severity eventType firstDetectedAt resolvedAt description }
      crawlEffectiveness { id platform query totalFound relevantCount effectivenessScore }
      supersededBy { id periodNumber }
      supersedes { id periodNumber analyzedAt supersessionReason }
    }
  }
`);

export const CompareQuery = graphql(`
  query ExplorerCompare($type: EntityType!, $id: ID!, $from: Int!, $to: Int!) {
    comparePeriods(entityType: $type, entityId: $id, from: $from, to: $to) {
      elapsedHours contentCountChange qualityChange completenessChange
      metrics { key previous current absolute percent }
      eventsOpened { id title severity } eventsResolved { id title severity } eventsOngoing { id title severity }
      contentOverlap { shared onlyFrom onlyTo }
    }
  }
`);

export const LivePeriods = graphql(`
  subscription ExplorerLivePeriods($type: EntityType, $id: ID, $after: String) {
    periodCreated(entityType: $type, entityId: $id, after: $after) { id entityId periodNumber status periodStart periodEnd analyzedAt summaryShort }
  }
`);

export const LiveEvents = graphql(`
  subscription ExplorerLiveEvents($type: EntityType, $id: ID, $after: String) {
    eventChanged(entityType: $type, entityId: $id, after: $after) { kind event { id title eventType severity firstDetectedAt resolvedAt } }
  }
`);

export const LiveTrend = graphql(`
  subscription ExplorerLiveTrend($after: String) {
    metricsTrendRefreshed(after: $after) { refreshedAt }
  }
`);
