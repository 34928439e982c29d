/* eslint-disable */
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
export type MakeOptional<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]?: Maybe<T[SubKey]> };
export type MakeMaybe<T, K extends keyof T> = Omit<T, K> & { [SubKey in K]: Maybe<T[SubKey]> };
export type MakeEmpty<T extends { [key: string]: unknown }, K extends keyof T> = { [_ in K]?: never };
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An instant, RFC 3339. Input: with an offset, up to microseconds (kept exactly), years 0001 to 9999. Output: UTC, with milliseconds, or microseconds when the stored value has any below the millisecond (PostgreSQL keeps microseconds). */
  DateTime: { input: string; output: string; }
  /** The `JSON` scalar type represents JSON values as specified by [ECMA-404](http://www.ecma-international.org/publications/files/ECMA-ST/ECMA-404.pdf). */
  JSON: { input: unknown; output: unknown; }
};

/** How the periods overlapping a bucket make its value. */
export type Aggregate =
  /** Mean of their values, each weighted by the time it overlaps the bucket. */
  | 'AVG'
  /** Value of the period that ends last. */
  | 'LAST'
  /** Largest value. */
  | 'MAX'
  /** Smallest value. */
  | 'MIN'
  /** Sum of their values pro rata: value × overlap ÷ period length (a period spanning two buckets is split). */
  | 'SUM';

/** One analysis cycle of one entity: a numbered, non-overlapping time window on its timeline. */
export type AnalysisPeriod = {
  __typename?: 'AnalysisPeriod';
  /** When the analysis ran. */
  analyzedAt: Scalars['DateTime']['output'];
  /** This period’s anomaly of the metric, if it is one (detect_metric_anomalies over its entity’s active periods): empty or one entry. */
  anomalies: Array<MetricAnomaly>;
  /** Chat messages linked to this period, oldest first. */
  chatMessages: Array<ChatMessage>;
  /** Summary of the operator chat in this cycle. */
  chatSummary?: Maybe<Scalars['String']['output']>;
  /** Data completeness, 0..1. */
  completenessScore?: Maybe<Scalars['Float']['output']>;
  /** Contents analysed in this period. */
  contentCount: Scalars['Int']['output'];
  /** Content snapshots this analysis used, most relevant first. */
  contents: PeriodContentConnection;
  /** How each crawl query of this period worked, best first. */
  crawlEffectiveness: Array<CrawlEffectiveness>;
  /** Tasks linked to this period (tasks.period_id). PeriodTimelineEntry.crawlTaskCount follows Crosshot’s view instead and counts crawl-effectiveness records. */
  crawlTaskCount: Scalars['Int']['output'];
  /** When the row was written. */
  createdAt: Scalars['DateTime']['output'];
  /** Length of the window in hours. */
  durationHours: Scalars['Float']['output'];
  /** The topic or tracked user it belongs to. */
  entity: Entity;
  /** UUID of the analysed topic or tracked user. */
  entityId: Scalars['ID']['output'];
  /** Kind of the entity it belongs to: TOPIC or USER. */
  entityType: EntityType;
  /** Events detected during this period, oldest first. */
  events: Array<TemporalEvent>;
  /** Debugging log of the analysis run. */
  executionLog?: Maybe<Scalars['JSON']['output']>;
  /** The database UUID. */
  id: Scalars['ID']['output'];
  /** Insights, usually {"items": [...]}. */
  insights: Scalars['JSON']['output'];
  /** Change to the knowledge document. */
  knowledgeDiff?: Maybe<Scalars['JSON']['output']>;
  /** The knowledge document as of this period. */
  knowledgeDoc?: Maybe<Scalars['String']['output']>;
  /** Version of the knowledge document. */
  knowledgeVersion: Scalars['Int']['output'];
  /** Per-metric change against the previous active period (empty for the first period), by key. */
  metricChanges: Array<MetricChange>;
  /** Metrics at the end of the period (total_posts, total_likes, ...). */
  metrics: Scalars['JSON']['output'];
  /** Flat {"key": current − previous} against the previous active period. */
  metricsDelta: Scalars['JSON']['output'];
  /** The next active period of the same entity. */
  next?: Maybe<AnalysisPeriod>;
  /** Events of the entity whose open interval (detection to resolution, or still open) overlaps this period, oldest first. */
  overlappingEvents: Array<TemporalEvent>;
  /** End of the window (exclusive). */
  periodEnd: Scalars['DateTime']['output'];
  /** Position on the entity timeline (0 = legacy period). */
  periodNumber: Scalars['Int']['output'];
  /** Start of the window (inclusive). */
  periodStart: Scalars['DateTime']['output'];
  /** The previous active period of the same entity. */
  previous?: Maybe<AnalysisPeriod>;
  /** Analysis quality, 0..1. */
  qualityScore?: Maybe<Scalars['Float']['output']>;
  /** Lifecycle state; only ACTIVE periods are on the timeline. */
  status: PeriodStatus;
  /** The analyst summary. */
  summary: Scalars['String']['output'];
  /** One-line summary. */
  summaryShort?: Maybe<Scalars['String']['output']>;
  /** The re-run that replaced this period. */
  supersededBy?: Maybe<AnalysisPeriod>;
  /** Earlier runs of this period that this one replaced, oldest first. */
  supersedes: Array<AnalysisPeriod>;
  /** Why it was superseded. */
  supersessionReason?: Maybe<Scalars['String']['output']>;
  /** Tasks linked to this period, oldest first. */
  tasks: Array<Task>;
  /** UUIDs of the tasks dispatched in this cycle. */
  tasksDispatched: Array<Scalars['ID']['output']>;
  /** Summary of the tasks dispatched. */
  tasksSummary: Scalars['JSON']['output'];
  /** Events of this period that are still open. */
  unresolvedEventCount: Scalars['Int']['output'];
  /** When the row last changed. */
  updatedAt: Scalars['DateTime']['output'];
};


/** One analysis cycle of one entity: a numbered, non-overlapping time window on its timeline. */
export type AnalysisPeriodAnomaliesArgs = {
  metric: Scalars['String']['input'];
  threshold?: InputMaybe<Scalars['Float']['input']>;
};


/** One analysis cycle of one entity: a numbered, non-overlapping time window on its timeline. */
export type AnalysisPeriodChatMessagesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** One analysis cycle of one entity: a numbered, non-overlapping time window on its timeline. */
export type AnalysisPeriodContentsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  minRelevance?: InputMaybe<Scalars['Float']['input']>;
};


/** One analysis cycle of one entity: a numbered, non-overlapping time window on its timeline. */
export type AnalysisPeriodCrawlEffectivenessArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** One analysis cycle of one entity: a numbered, non-overlapping time window on its timeline. */
export type AnalysisPeriodEventsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** One analysis cycle of one entity: a numbered, non-overlapping time window on its timeline. */
export type AnalysisPeriodMetricChangesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** One analysis cycle of one entity: a numbered, non-overlapping time window on its timeline. */
export type AnalysisPeriodOverlappingEventsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** One analysis cycle of one entity: a numbered, non-overlapping time window on its timeline. */
export type AnalysisPeriodSupersedesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** One analysis cycle of one entity: a numbered, non-overlapping time window on its timeline. */
export type AnalysisPeriodTasksArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of analysis periods, newest first. */
export type AnalysisPeriodConnection = {
  __typename?: 'AnalysisPeriodConnection';
  /** The items of this page with their cursors. */
  edges: Array<AnalysisPeriodEdge>;
  /** Paging information. */
  pageInfo: PageInfo;
  /** Number of items in the whole connection, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An item of a list with its cursor. */
export type AnalysisPeriodEdge = {
  __typename?: 'AnalysisPeriodEdge';
  /** Opaque cursor of this item; stable when items are added. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: AnalysisPeriod;
};

/** A message of the operator chat about an entity. */
export type ChatMessage = {
  __typename?: 'ChatMessage';
  /** Message text. */
  content: Scalars['String']['output'];
  /** When it was sent. */
  createdAt: Scalars['DateTime']['output'];
  /** Row id. */
  id: Scalars['Int']['output'];
  /** Archived messages are hidden from the chat. */
  isArchived: Scalars['Boolean']['output'];
  /** user, assistant or system. */
  role: Scalars['String']['output'];
};

/** A crawled post, video or comment. */
export type Content = {
  __typename?: 'Content';
  /** The period that analysed it. */
  analysisPeriod?: Maybe<AnalysisPeriod>;
  /** The period that analysed it. */
  analysisPeriodId?: Maybe<Scalars['ID']['output']>;
  /** Author display name. */
  authorDisplayName?: Maybe<Scalars['String']['output']>;
  /** Author handle. */
  authorUsername?: Maybe<Scalars['String']['output']>;
  /** When the crawler fetched it. */
  crawledAt: Scalars['DateTime']['output'];
  /** When it was first seen. */
  discoveredAt?: Maybe<Scalars['DateTime']['output']>;
  /** Hashtags. */
  hashtags: Array<Scalars['String']['output']>;
  /** The database UUID. */
  id: Scalars['ID']['output'];
  /** Key points extracted by the analyst. */
  keyPoints?: Maybe<Scalars['JSON']['output']>;
  /** Language code. */
  lang?: Maybe<Scalars['String']['output']>;
  /** Attached media in display order. */
  media: Array<ContentMedia>;
  /** Engagement metrics on the platform. */
  metrics: Scalars['JSON']['output'];
  /** Platform it was crawled from (x, reddit, youtube, ...). */
  platform: Scalars['String']['output'];
  /** Its id on that platform. */
  platformContentId?: Maybe<Scalars['String']['output']>;
  /** Processing state (processed, ...). */
  processingStatus?: Maybe<Scalars['String']['output']>;
  /** When it was published. */
  publishedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Relevance to its entity, 0..1. */
  relevanceScore?: Maybe<Scalars['Float']['output']>;
  /** Link to the original. */
  sourceUrl: Scalars['String']['output'];
  /** Text of the content. */
  text?: Maybe<Scalars['String']['output']>;
};


/** A crawled post, video or comment. */
export type ContentMediaArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** An image or video attached to a content item. */
export type ContentMedia = {
  __typename?: 'ContentMedia';
  /** Download state. */
  downloadStatus?: Maybe<Scalars['String']['output']>;
  /** Row id. */
  id: Scalars['Int']['output'];
  /** image, video, ... */
  mediaType: Scalars['String']['output'];
  /** Display order. */
  position: Scalars['Int']['output'];
  /** Source URL. */
  url: Scalars['String']['output'];
  /** Video stream URL. */
  videoUrl?: Maybe<Scalars['String']['output']>;
};

/** How the content snapshots of two periods overlap. */
export type ContentOverlap = {
  __typename?: 'ContentOverlap';
  /** Contents only in the earlier period. */
  onlyFrom: Scalars['Int']['output'];
  /** Contents only in the later period. */
  onlyTo: Scalars['Int']['output'];
  /** Contents snapshotted in both periods. */
  shared: Scalars['Int']['output'];
};

/** Content on the timeline, newest period first. */
export type ContentTimelineConnection = {
  __typename?: 'ContentTimelineConnection';
  /** The items of this page with their cursors. */
  edges: Array<ContentTimelineEdge>;
  /** Paging information. */
  pageInfo: PageInfo;
  /** Number of items in the whole connection, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An item of a list with its cursor. */
export type ContentTimelineEdge = {
  __typename?: 'ContentTimelineEdge';
  /** Opaque cursor of this item; stable when items are added. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: ContentTimelineEntry;
};

/** A content snapshot on the entity timeline (get_content_timeline). */
export type ContentTimelineEntry = {
  __typename?: 'ContentTimelineEntry';
  /** The content as it is now. */
  content: Content;
  /** UUID of the content. */
  contentId: Scalars['ID']['output'];
  /** How it contributed. */
  contributionType: Scalars['String']['output'];
  /** End of the period. */
  periodEnd: Scalars['DateTime']['output'];
  /** The period that used it. */
  periodId: Scalars['ID']['output'];
  /** That period’s number. */
  periodNumber: Scalars['Int']['output'];
  /** Start of the period. */
  periodStart: Scalars['DateTime']['output'];
  /** Relevance, 0..1. */
  relevanceScore?: Maybe<Scalars['Float']['output']>;
  /** Text as analysed. */
  textSnapshot?: Maybe<Scalars['String']['output']>;
};

/** How well one crawl query worked for one entity in one period. */
export type CrawlEffectiveness = {
  __typename?: 'CrawlEffectiveness';
  /** Mean relevance of results, 0..1. */
  avgRelevance?: Maybe<Scalars['Float']['output']>;
  /** Coverage, 0..1. */
  coverageRatio?: Maybe<Scalars['Float']['output']>;
  /** When it was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** Overall effectiveness, 0..1. */
  effectivenessScore?: Maybe<Scalars['Float']['output']>;
  /** The topic or tracked user it belongs to. */
  entity: Entity;
  /** UUID of the topic or tracked user. */
  entityId: Scalars['ID']['output'];
  /** Kind of the entity it belongs to: TOPIC or USER. */
  entityType: EntityType;
  /** High-value results (≤ relevantCount). */
  highValueCount: Scalars['Int']['output'];
  /** The database UUID. */
  id: Scalars['ID']['output'];
  /** The period it belongs to. */
  period: AnalysisPeriod;
  /** The period it belongs to. */
  periodId: Scalars['ID']['output'];
  /** Platform crawled. */
  platform: Scalars['String']['output'];
  /** The crawl query. */
  query: Scalars['String']['output'];
  /** What to change about the query. */
  recommendations?: Maybe<Scalars['String']['output']>;
  /** Relevant results (≤ totalFound). */
  relevantCount: Scalars['Int']['output'];
  /** Tasks that ran this query, oldest first. */
  tasks: Array<Task>;
  /** Results found. */
  totalFound: Scalars['Int']['output'];
};


/** How well one crawl query worked for one entity in one period. */
export type CrawlEffectivenessTasksArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** Crawl queries ranked by effectiveness, best first. */
export type CrawlEffectivenessConnection = {
  __typename?: 'CrawlEffectivenessConnection';
  /** The items of this page with their cursors. */
  edges: Array<CrawlEffectivenessEdge>;
  /** Paging information. */
  pageInfo: PageInfo;
  /** Number of items in the whole connection, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An item of a list with its cursor. */
export type CrawlEffectivenessEdge = {
  __typename?: 'CrawlEffectivenessEdge';
  /** Opaque cursor of this item; stable when items are added. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: CrawlEffectivenessRank;
};

/** A crawl-effectiveness record as v_crawl_effectiveness_ranking ranks it. */
export type CrawlEffectivenessRank = {
  __typename?: 'CrawlEffectivenessRank';
  /** Mean relevance, 0..1. */
  avgRelevance?: Maybe<Scalars['Float']['output']>;
  /** Coverage, 0..1. */
  coverageRatio?: Maybe<Scalars['Float']['output']>;
  /** When it was recorded. */
  createdAt: Scalars['DateTime']['output'];
  /** Effectiveness, 0..1. */
  effectivenessScore?: Maybe<Scalars['Float']['output']>;
  /** High-value results. */
  highValueCount: Scalars['Int']['output'];
  /** UUID of the crawl-effectiveness record. */
  id: Scalars['ID']['output'];
  /** The period it belongs to. */
  periodId: Scalars['ID']['output'];
  /** Platform crawled. */
  platform: Scalars['String']['output'];
  /** The crawl query. */
  query: Scalars['String']['output'];
  /** Trigram similarity to querySearch, when given. */
  querySimilarity?: Maybe<Scalars['Float']['output']>;
  /** Mean effectiveness of the 3 newest records of the same entity and platform. */
  recentAvgEffectiveness?: Maybe<Scalars['Float']['output']>;
  /** What to change about the query. */
  recommendations?: Maybe<Scalars['String']['output']>;
  /** The full crawl-effectiveness record. */
  record: CrawlEffectiveness;
  /** Relevant results. */
  relevantCount: Scalars['Int']['output'];
  /** Results found. */
  totalFound: Scalars['Int']['output'];
};

/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type Entity = {
  /** Active periods whose metric is more than `threshold` standard deviations from the mean, newest first. */
  anomalies: Array<MetricAnomaly>;
  /** Snapshots of active periods inside [from, to] (get_content_timeline): newest period first, then relevance. */
  contentTimeline: ContentTimelineConnection;
  /** Crawl queries ranked by effectiveness (v_crawl_effectiveness_ranking), best first. */
  crawlEffectiveness: CrawlEffectivenessConnection;
  /** Number of the newest period (null before the first). */
  currentPeriodNumber?: Maybe<Scalars['Int']['output']>;
  /** Active periods whose length is more than `threshold` standard deviations from the mean length of the entity’s active periods, oldest first. */
  durationOutliers: Array<AnalysisPeriod>;
  /** TOPIC or USER. */
  entityType: EntityType;
  /** Events opened, resolved and still open in the window (default: all time up to now), and how long they took to resolve. */
  eventStats: EventStats;
  /** Temporal events of the entity, newest detection first. */
  events: TemporalEventConnection;
  /** The database UUID. */
  id: Scalars['ID']['output'];
  /** The newest period. */
  lastPeriod?: Maybe<AnalysisPeriod>;
  /** A metric per time bucket over the active periods (a period counts in every bucket it overlaps; see Aggregate). Without a window: the entity’s whole history of that metric. */
  metricSeries: Array<MetricBucket>;
  /** Metrics per active period with the two before (mv_period_metrics_trend), oldest first. */
  metricTrend: Array<MetricTrendPoint>;
  /** Display name. */
  name: Scalars['String']['output'];
  /** The events that were open at this instant (detected by then, not yet resolved), oldest detection first. */
  openEventsAt: Array<TemporalEvent>;
  /** The active period with this number (get_period_by_number). */
  periodByNumber?: Maybe<AnalysisPeriod>;
  /** The timeline, newest first. Status defaults to [ACTIVE]; from/to keep periods overlapping [from, to). */
  periods: AnalysisPeriodConnection;
  /** Stretches between consecutive active periods that no period covers, longer than minHours, oldest first. */
  timelineGaps: Array<TimelineGap>;
  /** Totals over the active periods (v_entity_timeline_summary); null before the first period. */
  timelineSummary?: Maybe<EntityTimelineSummary>;
  /** Count of active periods. */
  totalPeriods: Scalars['Int']['output'];
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityAnomaliesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  metric: Scalars['String']['input'];
  threshold?: InputMaybe<Scalars['Float']['input']>;
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityContentTimelineArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  minRelevance?: InputMaybe<Scalars['Float']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityCrawlEffectivenessArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  platform?: InputMaybe<Scalars['String']['input']>;
  querySearch?: InputMaybe<Scalars['String']['input']>;
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityDurationOutliersArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  threshold?: InputMaybe<Scalars['Float']['input']>;
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityEventStatsArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  window?: InputMaybe<RelativeWindow>;
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  eventType?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  pendingOnly?: InputMaybe<Scalars['Boolean']['input']>;
  severity?: InputMaybe<Array<Severity>>;
  unresolvedOnly?: InputMaybe<Scalars['Boolean']['input']>;
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityMetricSeriesArgs = {
  aggregate?: InputMaybe<Aggregate>;
  bucket: TimeBucket;
  fill?: InputMaybe<GapFill>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  metric: Scalars['String']['input'];
  to?: InputMaybe<Scalars['DateTime']['input']>;
  window?: InputMaybe<RelativeWindow>;
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityMetricTrendArgs = {
  last?: InputMaybe<Scalars['Int']['input']>;
  metric?: InputMaybe<Scalars['String']['input']>;
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityOpenEventsAtArgs = {
  at: Scalars['DateTime']['input'];
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityPeriodByNumberArgs = {
  number: Scalars['Int']['input'];
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityPeriodsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<Array<PeriodStatus>>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** A monitored topic or tracked user: anything the analyst studies in cycles, with a timeline of analysis periods. */
export type EntityTimelineGapsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  minHours?: InputMaybe<Scalars['Float']['input']>;
};

/** Totals over the active periods of one entity (v_entity_timeline_summary). */
export type EntityTimelineSummary = {
  __typename?: 'EntityTimelineSummary';
  /** Mean completeness score. */
  avgCompletenessScore?: Maybe<Scalars['Float']['output']>;
  /** Mean period length in hours. */
  avgPeriodDurationHours?: Maybe<Scalars['Float']['output']>;
  /** Mean quality score. */
  avgQualityScore?: Maybe<Scalars['Float']['output']>;
  /** Time covered by active periods ÷ (lastPeriodEnd − firstPeriodStart): 1 for a timeline without holes (see timelineGaps). */
  coverageRatio?: Maybe<Scalars['Float']['output']>;
  /** Start of the first active period. */
  firstPeriodStart: Scalars['DateTime']['output'];
  /** End of the newest active period. */
  lastPeriodEnd: Scalars['DateTime']['output'];
  /** Sum of content counts. */
  totalContentAcrossPeriods: Scalars['Int']['output'];
  /** Active periods. */
  totalPeriods: Scalars['Int']['output'];
};

/** The kind of monitored entity an analysis period belongs to. */
export type EntityType =
  /** A monitored topic (table topics). */
  | 'TOPIC'
  /** A tracked social-media account (table users). */
  | 'USER';

/** A content item related to an event. */
export type EventContentInput = {
  /** UUID of the content. */
  contentId: Scalars['ID']['input'];
  /** Relevance to the event, 0..1. */
  relevance?: InputMaybe<Scalars['Float']['input']>;
};

/** A content item related to an event, with how relevant it is. */
export type EventContentLink = {
  __typename?: 'EventContentLink';
  /** When the link was made. */
  addedAt: Scalars['DateTime']['output'];
  /** The content. */
  content: Content;
  /** UUID of the content. */
  contentId: Scalars['ID']['output'];
  /** Relevance to the event, 0..1. */
  relevance?: Maybe<Scalars['Float']['output']>;
};

/** Event figures of one severity or event type. */
export type EventCount = {
  __typename?: 'EventCount';
  /** The severity (INFO, WARNING, CRITICAL) or the event type. */
  key: Scalars['String']['output'];
  /** First detected in the window. */
  opened: Scalars['Int']['output'];
  /** Resolved in the window. */
  resolved: Scalars['Int']['output'];
  /** Open at the window’s end. */
  stillOpen: Scalars['Int']['output'];
};

/** How an entity’s events came and went in a window. */
export type EventStats = {
  __typename?: 'EventStats';
  /** The same counts per severity. */
  bySeverity: Array<EventCount>;
  /** The same counts per event type, by type name. */
  byType: Array<EventCount>;
  /** Events first detected in the window. */
  opened: Scalars['Int']['output'];
  /** Events resolved in the window. */
  resolved: Scalars['Int']['output'];
  /** Events open at the window’s end (detected before it, not resolved by then). */
  stillOpen: Scalars['Int']['output'];
  /** Longest of those hours. */
  timeToResolveMaxHours?: Maybe<Scalars['Float']['output']>;
  /** Median hours from detection to resolution, of the events resolved in the window. */
  timeToResolveP50Hours?: Maybe<Scalars['Float']['output']>;
  /** 90th percentile of those hours (interpolated). */
  timeToResolveP90Hours?: Maybe<Scalars['Float']['output']>;
};


/** How an entity’s events came and went in a window. */
export type EventStatsByTypeArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** What a series returns for buckets no period covers. */
export type GapFill =
  /** Interpolates in time between the values around them (null outside). */
  | 'LINEAR'
  /** Leaves them out. */
  | 'NONE'
  /** Returns them with value null. */
  | 'NULL'
  /** Carries the last value forward (null before the first). */
  | 'PREVIOUS';

/** A period whose metric lies more than the threshold in standard deviations from the mean (detect_metric_anomalies). */
export type MetricAnomaly = {
  __typename?: 'MetricAnomaly';
  /** Mean over the entity’s active periods holding the metric. */
  avgValue: Scalars['Float']['output'];
  /** The metric in that period. */
  metricValue: Scalars['Float']['output'];
  /** The anomalous period. */
  period: AnalysisPeriod;
  /** The anomalous period. */
  periodId: Scalars['ID']['output'];
  /** Its number. */
  periodNumber: Scalars['Int']['output'];
  /** Sample standard deviation over them. */
  stddevValue: Scalars['Float']['output'];
  /** (value − mean) / stddev. */
  zScore: Scalars['Float']['output'];
};

/** One bucket of a metric series. */
export type MetricBucket = {
  __typename?: 'MetricBucket';
  /** End of the bucket (exclusive). */
  end: Scalars['DateTime']['output'];
  /** No period covers the bucket: its value is null or filled. */
  filled: Scalars['Boolean']['output'];
  /** Active periods holding the metric that overlap the bucket. */
  periodCount: Scalars['Int']['output'];
  /** Start of the bucket (inclusive). */
  start: Scalars['DateTime']['output'];
  /** The aggregate, or the filled value; null when there is none. */
  value?: Maybe<Scalars['Float']['output']>;
};

/** How one metric changed between two periods. */
export type MetricChange = {
  __typename?: 'MetricChange';
  /** current − previous; null unless both are numbers. */
  absolute?: Maybe<Scalars['Float']['output']>;
  /** Value in the later period (null when absent). */
  current?: Maybe<Scalars['JSON']['output']>;
  /** The metric key, e.g. total_posts. */
  key: Scalars['String']['output'];
  /** absolute / previous × 100; null when previous is 0 or either side is not a number. */
  percent?: Maybe<Scalars['Float']['output']>;
  /** Value in the earlier period (null when absent). */
  previous?: Maybe<Scalars['JSON']['output']>;
};

/** One active period in mv_period_metrics_trend, with the two before it. */
export type MetricTrendPoint = {
  __typename?: 'MetricTrendPoint';
  /** When it was analysed. */
  analyzedAt: Scalars['DateTime']['output'];
  /** When the materialized view this point comes from was last refreshed (null: never, by this gateway). */
  asOf?: Maybe<Scalars['DateTime']['output']>;
  /** The metric asked for, if any. */
  metric?: Maybe<Scalars['String']['output']>;
  /** Its metrics. */
  metrics: Scalars['JSON']['output'];
  /** Its flat metrics delta. */
  metricsDelta: Scalars['JSON']['output'];
  /** The period number. */
  periodNumber: Scalars['Int']['output'];
  /** Metrics of the previous active period. */
  prevMetrics?: Maybe<Scalars['JSON']['output']>;
  /** Metrics of the one before that. */
  prevPrevMetrics?: Maybe<Scalars['JSON']['output']>;
  /** That metric two periods earlier. */
  previousPreviousValue?: Maybe<Scalars['Float']['output']>;
  /** That metric one period earlier. */
  previousValue?: Maybe<Scalars['Float']['output']>;
  /** Periods were written or changed after that refresh: this point may be behind them. */
  stale: Scalars['Boolean']['output'];
  /** That metric in this period. */
  value?: Maybe<Scalars['Float']['output']>;
};

/** How current mv_period_metrics_trend is. */
export type MetricsTrendFreshness = {
  __typename?: 'MetricsTrendFreshness';
  /** How long that refresh took. */
  durationMs?: Maybe<Scalars['Float']['output']>;
  /** When the gateway last refreshed it (null: never). */
  refreshedAt?: Maybe<Scalars['DateTime']['output']>;
  /** Periods were written or changed after that refresh. */
  stale: Scalars['Boolean']['output'];
};

/** Writes of the analyst: each mutation is one transaction; rejected input writes nothing. */
export type Mutation = {
  __typename?: 'Mutation';
  /** Create period 0 for entities that have content but no period (the guide’s post-migration step); idempotent; returns rows created. */
  initializePeriodZero: Scalars['Int']['output'];
  /** Recompute and store a period’s flat metrics delta (recompute_metrics_delta); null for an unknown or non-active period. */
  recomputeMetricsDelta?: Maybe<Scalars['JSON']['output']>;
  /** Save one analysis cycle atomically: next number, window from the previous period’s end, metrics delta, contents linked and snapshotted, events and crawl records, entity stats. Safe under concurrent calls. */
  recordAnalysisPeriod?: Maybe<AnalysisPeriod>;
  /** Record a crawl query’s effectiveness; counts must nest (highValue ≤ relevant ≤ total), scores lie in 0..1. */
  recordCrawlEffectiveness?: Maybe<CrawlEffectiveness>;
  /** Record an event detected for an entity, in the given period or its newest active one; an entity without any period gets a pending event, which its next recorded period takes. */
  recordTemporalEvent?: Maybe<TemporalEvent>;
  /** REFRESH MATERIALIZED VIEW CONCURRENTLY mv_period_metrics_trend, one at a time across all gateway instances (a second caller waits for the running refresh). */
  refreshMetricsTrend: MetricsTrendFreshness;
  /** Mark an event resolved now; resolving twice is an INVALID_STATE error. */
  resolveTemporalEvent?: Maybe<TemporalEvent>;
  /** Replace an active period by a re-run analysis; returns the replacement. The old period stays, SUPERSEDED. */
  supersedePeriod?: Maybe<AnalysisPeriod>;
  /** Change an event’s severity, title, description or metadata; bumps lastUpdatedAt. */
  updateTemporalEvent?: Maybe<TemporalEvent>;
};


/** Writes of the analyst: each mutation is one transaction; rejected input writes nothing. */
export type MutationInitializePeriodZeroArgs = {
  entityType?: InputMaybe<EntityType>;
};


/** Writes of the analyst: each mutation is one transaction; rejected input writes nothing. */
export type MutationRecomputeMetricsDeltaArgs = {
  periodId: Scalars['ID']['input'];
};


/** Writes of the analyst: each mutation is one transaction; rejected input writes nothing. */
export type MutationRecordAnalysisPeriodArgs = {
  input: RecordAnalysisPeriodInput;
};


/** Writes of the analyst: each mutation is one transaction; rejected input writes nothing. */
export type MutationRecordCrawlEffectivenessArgs = {
  input: RecordCrawlEffectivenessInput;
};


/** Writes of the analyst: each mutation is one transaction; rejected input writes nothing. */
export type MutationRecordTemporalEventArgs = {
  input: RecordTemporalEventInput;
};


/** Writes of the analyst: each mutation is one transaction; rejected input writes nothing. */
export type MutationResolveTemporalEventArgs = {
  id: Scalars['ID']['input'];
  note?: InputMaybe<Scalars['String']['input']>;
};


/** Writes of the analyst: each mutation is one transaction; rejected input writes nothing. */
export type MutationSupersedePeriodArgs = {
  input: SupersedePeriodInput;
};


/** Writes of the analyst: each mutation is one transaction; rejected input writes nothing. */
export type MutationUpdateTemporalEventArgs = {
  input: UpdateTemporalEventInput;
};

/** Where a page sits in its list. */
export type PageInfo = {
  __typename?: 'PageInfo';
  /** Cursor of the last item of the page: pass it as `after` for the next page. */
  endCursor?: Maybe<Scalars['String']['output']>;
  /** More items follow this page. */
  hasNextPage: Scalars['Boolean']['output'];
  /** Items precede this page. */
  hasPreviousPage: Scalars['Boolean']['output'];
  /** Cursor of the first item of the page. */
  startCursor?: Maybe<Scalars['String']['output']>;
};

/** What changed between two active periods of one entity. */
export type PeriodComparison = {
  __typename?: 'PeriodComparison';
  /** Change of completeness score. */
  completenessChange?: Maybe<Scalars['Float']['output']>;
  /** to.contentCount − from.contentCount. */
  contentCountChange: Scalars['Int']['output'];
  /** Snapshot overlap. */
  contentOverlap: ContentOverlap;
  /** Hours from the end of `from` to the end of `to`. */
  elapsedHours: Scalars['Float']['output'];
  /** Open at `to`’s end, detected before it, oldest detection first. */
  eventsOngoing: Array<TemporalEvent>;
  /** First detected after `from` ended, up to `to`’s end, oldest first. */
  eventsOpened: Array<TemporalEvent>;
  /** Resolved in that window, oldest detection first. */
  eventsResolved: Array<TemporalEvent>;
  /** The earlier period. */
  from: AnalysisPeriod;
  /** Change of every metric in either period, by key. */
  metrics: Array<MetricChange>;
  /** Change of quality score (null if either is unscored). */
  qualityChange?: Maybe<Scalars['Float']['output']>;
  /** The later period. */
  to: AnalysisPeriod;
};


/** What changed between two active periods of one entity. */
export type PeriodComparisonEventsOngoingArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** What changed between two active periods of one entity. */
export type PeriodComparisonEventsOpenedArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** What changed between two active periods of one entity. */
export type PeriodComparisonEventsResolvedArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** What changed between two active periods of one entity. */
export type PeriodComparisonMetricsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** Content snapshots of a period, most relevant first. */
export type PeriodContentConnection = {
  __typename?: 'PeriodContentConnection';
  /** The items of this page with their cursors. */
  edges: Array<PeriodContentEdge>;
  /** Paging information. */
  pageInfo: PageInfo;
  /** Number of items in the whole connection, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An item of a list with its cursor. */
export type PeriodContentEdge = {
  __typename?: 'PeriodContentEdge';
  /** Opaque cursor of this item; stable when items are added. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: PeriodContentSnapshot;
};

/** A content item the analysis used; its text and key points are frozen into a snapshot. */
export type PeriodContentInput = {
  /** UUID of the content. */
  contentId: Scalars['ID']['input'];
  /** evidence, trend_signal, counterpoint, ... (default general). */
  contributionType?: InputMaybe<Scalars['String']['input']>;
  /** Relevance to the analysis, 0..1. */
  relevanceScore?: InputMaybe<Scalars['Float']['input']>;
};

/** A content item as an analysis used it, frozen at that moment. */
export type PeriodContentSnapshot = {
  __typename?: 'PeriodContentSnapshot';
  /** The content as it is now. */
  content: Content;
  /** UUID of the content. */
  contentId: Scalars['ID']['output'];
  /** How it contributed (evidence, trend_signal, general, ...). */
  contributionType: Scalars['String']['output'];
  /** When the snapshot was taken. */
  createdAt: Scalars['DateTime']['output'];
  /** The database UUID. */
  id: Scalars['ID']['output'];
  /** Key points as analysed. */
  keyPointsSnapshot?: Maybe<Scalars['JSON']['output']>;
  /** Relevance to the analysis, 0..1. */
  relevanceScore?: Maybe<Scalars['Float']['output']>;
  /** Text as analysed. */
  textSnapshot?: Maybe<Scalars['String']['output']>;
};

/** How a crawl query of the analysis being recorded worked (RecordCrawlEffectivenessInput without periodId). */
export type PeriodCrawlEffectivenessInput = {
  /** Mean relevance, 0..1. */
  avgRelevance?: InputMaybe<Scalars['Float']['input']>;
  /** Coverage, 0..1. */
  coverageRatio?: InputMaybe<Scalars['Float']['input']>;
  /** Effectiveness, 0..1. */
  effectivenessScore?: InputMaybe<Scalars['Float']['input']>;
  /** High-value results; at most relevantCount. */
  highValueCount?: InputMaybe<Scalars['Int']['input']>;
  /** Platform crawled (at most 16 characters). */
  platform: Scalars['String']['input'];
  /** The crawl query. */
  query: Scalars['String']['input'];
  /** What to change about the query. */
  recommendations?: InputMaybe<Scalars['String']['input']>;
  /** Relevant results; at most totalFound. */
  relevantCount?: InputMaybe<Scalars['Int']['input']>;
  /** A task that ran this query: linked to the record. */
  taskId?: InputMaybe<Scalars['ID']['input']>;
  /** Results found (default 0). */
  totalFound?: InputMaybe<Scalars['Int']['input']>;
};

/** An event detected during the analysis being recorded (RecordTemporalEventInput without entity or period). */
export type PeriodEventInput = {
  /** Related contents with their relevance. */
  contents?: InputMaybe<Array<EventContentInput>>;
  /** What was detected. */
  description: Scalars['String']['input'];
  /** anomaly, controversy, trend_shift, milestone, risk or note (a lower-case identifier). */
  eventType: Scalars['String']['input'];
  /** Default now. */
  firstDetectedAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Free-form details. */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** Default INFO. */
  severity?: InputMaybe<Severity>;
  /** Short title (at most 256 characters). */
  title: Scalars['String']['input'];
};

/** Lifecycle state of an analysis period. Only ACTIVE periods form the timeline. */
export type PeriodStatus =
  /** Part of the timeline. */
  | 'ACTIVE'
  /** Kept for audit, out of the timeline. */
  | 'ARCHIVED'
  /** Being written; not yet part of the timeline. */
  | 'DRAFT'
  /** The analysis failed. */
  | 'FAILED'
  /** Replaced by a re-run analysis (see supersededBy). */
  | 'SUPERSEDED';

/** Active periods of all entities, most recently analysed first. */
export type PeriodTimelineConnection = {
  __typename?: 'PeriodTimelineConnection';
  /** The items of this page with their cursors. */
  edges: Array<PeriodTimelineEdge>;
  /** Paging information. */
  pageInfo: PageInfo;
  /** Number of items in the whole connection, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An item of a list with its cursor. */
export type PeriodTimelineEdge = {
  __typename?: 'PeriodTimelineEdge';
  /** Opaque cursor of this item; stable when items are added. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: PeriodTimelineEntry;
};

/** An active period as v_period_timeline lists it, with its open events, crawl records and linked tasks counted. */
export type PeriodTimelineEntry = {
  __typename?: 'PeriodTimelineEntry';
  /** When it was analysed. */
  analyzedAt: Scalars['DateTime']['output'];
  /** Completeness, 0..1. */
  completenessScore?: Maybe<Scalars['Float']['output']>;
  /** Contents analysed. */
  contentCount: Scalars['Int']['output'];
  /** Crawl-effectiveness records of the period: v_period_timeline.crawl_task_count, in the meaning Crosshot gives it. */
  crawlTaskCount: Scalars['Int']['output'];
  /** Window length in hours. */
  durationHours: Scalars['Float']['output'];
  /** The topic or tracked user it belongs to. */
  entity: Entity;
  /** UUID of the entity. */
  entityId: Scalars['ID']['output'];
  /** Kind of the entity it belongs to: TOPIC or USER. */
  entityType: EntityType;
  /** UUID of the period. */
  id: Scalars['ID']['output'];
  /** Tasks linked to the period (tasks.period_id). */
  linkedTaskCount: Scalars['Int']['output'];
  /** The full period. */
  period: AnalysisPeriod;
  /** End of the window. */
  periodEnd: Scalars['DateTime']['output'];
  /** Period number. */
  periodNumber: Scalars['Int']['output'];
  /** Start of the window. */
  periodStart: Scalars['DateTime']['output'];
  /** Quality, 0..1. */
  qualityScore?: Maybe<Scalars['Float']['output']>;
  /** One-line summary. */
  summaryShort?: Maybe<Scalars['String']['output']>;
  /** Open events recorded in the period. */
  unresolvedEventCount: Scalars['Int']['output'];
};

/** Read access to topics, tracked users and their analysis timelines. */
export type Query = {
  __typename?: 'Query';
  /** Compare two active periods of one entity by number; NOT_FOUND names a missing number. */
  comparePeriods: PeriodComparison;
  /** A topic or tracked user by type and id; null when there is none. */
  entity?: Maybe<Entity>;
  /** When mv_period_metrics_trend was last refreshed, and whether newer periods exist. */
  metricsTrendFreshness: MetricsTrendFreshness;
  /** A period by id, whatever its status; null when there is none. */
  period?: Maybe<AnalysisPeriod>;
  /** The active period with this number (get_period_by_number); null when there is none. */
  periodByNumber?: Maybe<AnalysisPeriod>;
  /** Active periods of all entities (v_period_timeline), most recently analysed first. */
  periodTimeline: PeriodTimelineConnection;
  /** A topic by id; null when there is none. */
  topic?: Maybe<Topic>;
  /** Topics, pinned first, then by position and name. */
  topics: TopicConnection;
  /** A tracked user by id; null when there is none. */
  trackedUser?: Maybe<TrackedUser>;
  /** Tracked users, pinned first, then by position and name. */
  trackedUsers: TrackedUserConnection;
};


/** Read access to topics, tracked users and their analysis timelines. */
export type QueryComparePeriodsArgs = {
  entityId: Scalars['ID']['input'];
  entityType: EntityType;
  from: Scalars['Int']['input'];
  to: Scalars['Int']['input'];
};


/** Read access to topics, tracked users and their analysis timelines. */
export type QueryEntityArgs = {
  id: Scalars['ID']['input'];
  type: EntityType;
};


/** Read access to topics, tracked users and their analysis timelines. */
export type QueryPeriodArgs = {
  id: Scalars['ID']['input'];
};


/** Read access to topics, tracked users and their analysis timelines. */
export type QueryPeriodByNumberArgs = {
  entityId: Scalars['ID']['input'];
  entityType: EntityType;
  number: Scalars['Int']['input'];
};


/** Read access to topics, tracked users and their analysis timelines. */
export type QueryPeriodTimelineArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  entityType?: InputMaybe<EntityType>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


/** Read access to topics, tracked users and their analysis timelines. */
export type QueryTopicArgs = {
  id: Scalars['ID']['input'];
};


/** Read access to topics, tracked users and their analysis timelines. */
export type QueryTopicsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<Scalars['String']['input']>;
};


/** Read access to topics, tracked users and their analysis timelines. */
export type QueryTrackedUserArgs = {
  id: Scalars['ID']['input'];
};


/** Read access to topics, tracked users and their analysis timelines. */
export type QueryTrackedUsersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  before?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  last?: InputMaybe<Scalars['Int']['input']>;
  platform?: InputMaybe<Scalars['String']['input']>;
  search?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<Scalars['String']['input']>;
};

/** One analysis cycle of an entity, with the events and crawl records it produced. */
export type RecordAnalysisPeriodInput = {
  /** Summary of the operator chat. */
  chatSummary?: InputMaybe<Scalars['String']['input']>;
  /** Data completeness, 0..1. */
  completenessScore?: InputMaybe<Scalars['Float']['input']>;
  /** Contents to snapshot. */
  contents?: InputMaybe<Array<PeriodContentInput>>;
  /** How this cycle’s crawl queries worked. */
  crawlEffectiveness?: InputMaybe<Array<PeriodCrawlEffectivenessInput>>;
  /** UUID of the entity. */
  entityId: Scalars['ID']['input'];
  /** TOPIC or USER. */
  entityType: EntityType;
  /** Events detected in this cycle. */
  events?: InputMaybe<Array<PeriodEventInput>>;
  /** Debugging log of the run. */
  executionLog?: InputMaybe<Scalars['JSON']['input']>;
  /** Insights, usually {"items": [...]}. */
  insights?: InputMaybe<Scalars['JSON']['input']>;
  /** The updated knowledge document (bumps knowledgeVersion). */
  knowledgeDoc?: InputMaybe<Scalars['String']['input']>;
  /** Metrics at the end of the period. */
  metrics?: InputMaybe<Scalars['JSON']['input']>;
  /** Default now. */
  periodEnd?: InputMaybe<Scalars['DateTime']['input']>;
  /** Only for a first period (default: the entity’s creation). */
  periodStart?: InputMaybe<Scalars['DateTime']['input']>;
  /** Analysis quality, 0..1. */
  qualityScore?: InputMaybe<Scalars['Float']['input']>;
  /** The analyst summary. */
  summary: Scalars['String']['input'];
  /** One-line summary. */
  summaryShort?: InputMaybe<Scalars['String']['input']>;
  /** UUIDs of the tasks dispatched. */
  tasksDispatched?: InputMaybe<Array<Scalars['ID']['input']>>;
};

/** How one crawl query worked in one period. */
export type RecordCrawlEffectivenessInput = {
  /** Mean relevance, 0..1. */
  avgRelevance?: InputMaybe<Scalars['Float']['input']>;
  /** Coverage, 0..1. */
  coverageRatio?: InputMaybe<Scalars['Float']['input']>;
  /** Effectiveness, 0..1. */
  effectivenessScore?: InputMaybe<Scalars['Float']['input']>;
  /** High-value results; at most relevantCount. */
  highValueCount?: InputMaybe<Scalars['Int']['input']>;
  /** UUID of the period. */
  periodId: Scalars['ID']['input'];
  /** Platform crawled (at most 16 characters). */
  platform: Scalars['String']['input'];
  /** The crawl query. */
  query: Scalars['String']['input'];
  /** What to change about the query. */
  recommendations?: InputMaybe<Scalars['String']['input']>;
  /** Relevant results; at most totalFound. */
  relevantCount?: InputMaybe<Scalars['Int']['input']>;
  /** A task that ran this query: linked to the record. */
  taskId?: InputMaybe<Scalars['ID']['input']>;
  /** Results found (default 0). */
  totalFound?: InputMaybe<Scalars['Int']['input']>;
};

/** A temporal event of an entity, in the period given or the entity’s newest active period. */
export type RecordTemporalEventInput = {
  /** Related contents with their relevance. */
  contents?: InputMaybe<Array<EventContentInput>>;
  /** What was detected. */
  description: Scalars['String']['input'];
  /** UUID of the entity. */
  entityId: Scalars['ID']['input'];
  /** TOPIC or USER. */
  entityType: EntityType;
  /** anomaly, controversy, trend_shift, milestone, risk or note (a lower-case identifier). */
  eventType: Scalars['String']['input'];
  /** Default now. */
  firstDetectedAt?: InputMaybe<Scalars['DateTime']['input']>;
  /** Free-form details. */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** The period it was detected in (default: the newest active period). */
  periodId?: InputMaybe<Scalars['ID']['input']>;
  /** Default INFO. */
  severity?: InputMaybe<Severity>;
  /** Short title (at most 256 characters). */
  title: Scalars['String']['input'];
};

/** A window ending now (the request’s clock): the last N hours (h), days (d), weeks (w) or months (mo). */
export type RelativeWindow = {
  /** "36h", "30d", "4w", "3mo". */
  last: Scalars['String']['input'];
};

/** How serious a temporal event is. */
export type Severity =
  /** Needs action now. */
  | 'CRITICAL'
  /** Informational. */
  | 'INFO'
  /** Needs attention. */
  | 'WARNING';

/** Changes as they are committed, by this server or any other writer (from the database’s change feed). Each result carries its cursor in `extensions.cursor` (and as the SSE `id:`); `after`, or the SSE `Last-Event-ID` header, resumes right after a cursor. */
export type Subscription = {
  __typename?: 'Subscription';
  /** Each temporal event detected, updated or resolved, in commit order per event. */
  eventChanged: TemporalEventChange;
  /** Each refresh of mv_period_metrics_trend (by any gateway instance, debounced after period writes), with its freshness then. */
  metricsTrendRefreshed: MetricsTrendFreshness;
  /** Each period that joins a timeline: recorded as active, or becoming active (a re-run replacing a period). With anomalousOnly, only periods whose `metric` is more than `threshold` standard deviations from the entity’s mean (detect_metric_anomalies; their `anomalies` field shows it). */
  periodCreated: AnalysisPeriod;
};


/** Changes as they are committed, by this server or any other writer (from the database’s change feed). Each result carries its cursor in `extensions.cursor` (and as the SSE `id:`); `after`, or the SSE `Last-Event-ID` header, resumes right after a cursor. */
export type SubscriptionEventChangedArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  entityId?: InputMaybe<Scalars['ID']['input']>;
  entityType?: InputMaybe<EntityType>;
};


/** Changes as they are committed, by this server or any other writer (from the database’s change feed). Each result carries its cursor in `extensions.cursor` (and as the SSE `id:`); `after`, or the SSE `Last-Event-ID` header, resumes right after a cursor. */
export type SubscriptionMetricsTrendRefreshedArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
};


/** Changes as they are committed, by this server or any other writer (from the database’s change feed). Each result carries its cursor in `extensions.cursor` (and as the SSE `id:`); `after`, or the SSE `Last-Event-ID` header, resumes right after a cursor. */
export type SubscriptionPeriodCreatedArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  anomalousOnly?: InputMaybe<Scalars['Boolean']['input']>;
  entityId?: InputMaybe<Scalars['ID']['input']>;
  entityType?: InputMaybe<EntityType>;
  metric?: InputMaybe<Scalars['String']['input']>;
  threshold?: InputMaybe<Scalars['Float']['input']>;
};

/** A re-run of an analysis replacing an active period; fields left out are carried over from it. */
export type SupersedePeriodInput = {
  /** The replacement’s completeness, 0..1. */
  completenessScore?: InputMaybe<Scalars['Float']['input']>;
  /** The replacement’s insights. */
  insights?: InputMaybe<Scalars['JSON']['input']>;
  /** The replacement’s metrics. */
  metrics?: InputMaybe<Scalars['JSON']['input']>;
  /** Corrected end (default the old one’s); must not overlap the next period. */
  periodEnd?: InputMaybe<Scalars['DateTime']['input']>;
  /** UUID of the active period to replace. */
  periodId: Scalars['ID']['input'];
  /** Corrected start (default the old one’s); must not overlap the previous period. */
  periodStart?: InputMaybe<Scalars['DateTime']['input']>;
  /** The replacement’s quality, 0..1. */
  qualityScore?: InputMaybe<Scalars['Float']['input']>;
  /** Why it is being replaced. */
  reason: Scalars['String']['input'];
  /** The replacement’s summary. */
  summary?: InputMaybe<Scalars['String']['input']>;
  /** The replacement’s one-line summary. */
  summaryShort?: InputMaybe<Scalars['String']['input']>;
};

/** A unit of crawl or analysis work dispatched to an agent. */
export type Task = {
  __typename?: 'Task';
  /** Agent that took it. */
  assignedTo?: Maybe<Scalars['String']['output']>;
  /** When it finished. */
  completedAt?: Maybe<Scalars['DateTime']['output']>;
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** How long it ran. */
  durationSeconds?: Maybe<Scalars['Float']['output']>;
  /** Its crawl-effectiveness record. */
  effectivenessId?: Maybe<Scalars['ID']['output']>;
  /** Failure message. */
  error?: Maybe<Scalars['String']['output']>;
  /** The database UUID. */
  id: Scalars['ID']['output'];
  /** Kind of work, e.g. crawler:search. */
  label: Scalars['String']['output'];
  /** Task input. */
  payload: Scalars['JSON']['output'];
  /** The period it belongs to. */
  periodId?: Maybe<Scalars['ID']['output']>;
  /** Higher runs first. */
  priority: Scalars['Int']['output'];
  /** Task output. */
  result?: Maybe<Scalars['JSON']['output']>;
  /** When it started. */
  startedAt?: Maybe<Scalars['DateTime']['output']>;
  /** pending, running, completed, failed, ... */
  status: Scalars['String']['output'];
};

/** A controversy, trend shift, anomaly, milestone, risk or note, tracked from detection to resolution. */
export type TemporalEvent = {
  __typename?: 'TemporalEvent';
  /** Contents related to the event, most relevant first. */
  contents: Array<EventContentLink>;
  /** When the row was written. */
  createdAt: Scalars['DateTime']['output'];
  /** What was detected. */
  description: Scalars['String']['output'];
  /** The topic or tracked user it belongs to. */
  entity: Entity;
  /** UUID of the topic or tracked user. */
  entityId: Scalars['ID']['output'];
  /** Kind of the entity it belongs to: TOPIC or USER. */
  entityType: EntityType;
  /** anomaly, controversy, trend_shift, milestone, risk or note. */
  eventType: Scalars['String']['output'];
  /** When it was first detected. */
  firstDetectedAt: Scalars['DateTime']['output'];
  /** The database UUID. */
  id: Scalars['ID']['output'];
  /** Whether it has been resolved. */
  isResolved: Scalars['Boolean']['output'];
  /** When it last changed. */
  lastUpdatedAt: Scalars['DateTime']['output'];
  /** Free-form details. */
  metadata: Scalars['JSON']['output'];
  /** The period it was recorded in; null while pending (recorded between cycles: the entity’s next period takes it). */
  period?: Maybe<AnalysisPeriod>;
  /** The period it was recorded in; null while pending. */
  periodId?: Maybe<Scalars['ID']['output']>;
  /** How it was resolved. */
  resolutionNote?: Maybe<Scalars['String']['output']>;
  /** When it was resolved; null while open. */
  resolvedAt?: Maybe<Scalars['DateTime']['output']>;
  /** How serious it is. */
  severity: Severity;
  /** Short title. */
  title: Scalars['String']['output'];
};


/** A controversy, trend shift, anomaly, milestone, risk or note, tracked from detection to resolution. */
export type TemporalEventContentsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** A change to a temporal event, as the change feed recorded it. */
export type TemporalEventChange = {
  __typename?: 'TemporalEventChange';
  /** Position on the change feed: pass it as `after` to resume right after this change. */
  cursor: Scalars['String']['output'];
  /** The event as it is when the change is delivered. */
  event: TemporalEvent;
  /** What happened. */
  kind: TemporalEventChangeKind;
};

/** What happened to a temporal event. */
export type TemporalEventChangeKind =
  /** It was recorded. */
  | 'DETECTED'
  /** It was resolved. */
  | 'RESOLVED'
  /** Its severity, text, metadata or period changed. */
  | 'UPDATED';

/** A page of temporal events, newest detection first. */
export type TemporalEventConnection = {
  __typename?: 'TemporalEventConnection';
  /** The items of this page with their cursors. */
  edges: Array<TemporalEventEdge>;
  /** Paging information. */
  pageInfo: PageInfo;
  /** Number of items in the whole connection, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An item of a list with its cursor. */
export type TemporalEventEdge = {
  __typename?: 'TemporalEventEdge';
  /** Opaque cursor of this item; stable when items are added. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: TemporalEvent;
};

/** Bucket width of a series, in UTC: weeks start on Monday, months are calendar months. */
export type TimeBucket =
  /** Days (00:00 UTC). */
  | 'DAY'
  /** Hours. */
  | 'HOUR'
  /** Calendar months from the 1st, 00:00 UTC. */
  | 'MONTH'
  /** Weeks from Monday 00:00 UTC. */
  | 'WEEK';

/** A stretch between two consecutive active periods that no period covers. */
export type TimelineGap = {
  __typename?: 'TimelineGap';
  /** Start of the period after. */
  end: Scalars['DateTime']['output'];
  /** Length in hours. */
  hours: Scalars['Float']['output'];
  /** End of the period before. */
  start: Scalars['DateTime']['output'];
};

/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type Topic = Entity & {
  __typename?: 'Topic';
  /** Active periods whose metric is more than `threshold` standard deviations from the mean, newest first. */
  anomalies: Array<MetricAnomaly>;
  /** Mean period length in hours. */
  avgPeriodDurationHours?: Maybe<Scalars['Float']['output']>;
  /** Snapshots of active periods inside [from, to] (get_content_timeline): newest period first, then relevance. */
  contentTimeline: ContentTimelineConnection;
  /** Crawl queries ranked by effectiveness (v_crawl_effectiveness_ranking), best first. */
  crawlEffectiveness: CrawlEffectivenessConnection;
  /** When it was created. */
  createdAt: Scalars['DateTime']['output'];
  /** Number of the newest period (null before the first). */
  currentPeriodNumber?: Maybe<Scalars['Int']['output']>;
  /** Free-text description. */
  description?: Maybe<Scalars['String']['output']>;
  /** Active periods whose length is more than `threshold` standard deviations from the mean length of the entity’s active periods, oldest first. */
  durationOutliers: Array<AnalysisPeriod>;
  /** TOPIC or USER. */
  entityType: EntityType;
  /** Events opened, resolved and still open in the window (default: all time up to now), and how long they took to resolve. */
  eventStats: EventStats;
  /** Temporal events of the entity, newest detection first. */
  events: TemporalEventConnection;
  /** When it was first analysed. */
  firstAnalysisAt?: Maybe<Scalars['DateTime']['output']>;
  /** Emoji shown next to the name. */
  icon: Scalars['String']['output'];
  /** The database UUID. */
  id: Scalars['ID']['output'];
  /** Pinned topics are listed first. */
  isPinned: Scalars['Boolean']['output'];
  /** Search keywords the crawler uses. */
  keywords: Array<Scalars['String']['output']>;
  /** When it was last crawled. */
  lastCrawlAt?: Maybe<Scalars['DateTime']['output']>;
  /** The newest period. */
  lastPeriod?: Maybe<AnalysisPeriod>;
  /** A metric per time bucket over the active periods (a period counts in every bucket it overlaps; see Aggregate). Without a window: the entity’s whole history of that metric. */
  metricSeries: Array<MetricBucket>;
  /** Metrics per active period with the two before (mv_period_metrics_trend), oldest first. */
  metricTrend: Array<MetricTrendPoint>;
  /** Display name. */
  name: Scalars['String']['output'];
  /** The events that were open at this instant (detected by then, not yet resolved), oldest detection first. */
  openEventsAt: Array<TemporalEvent>;
  /** The active period with this number (get_period_by_number). */
  periodByNumber?: Maybe<AnalysisPeriod>;
  /** The timeline, newest first. Status defaults to [ACTIVE]; from/to keep periods overlapping [from, to). */
  periods: AnalysisPeriodConnection;
  /** Platforms crawled. */
  platforms: Array<Scalars['String']['output']>;
  /** Monitoring status (active, paused, ...). */
  status: Scalars['String']['output'];
  /** Stretches between consecutive active periods that no period covers, longer than minHours, oldest first. */
  timelineGaps: Array<TimelineGap>;
  /** Totals over the active periods (v_entity_timeline_summary); null before the first period. */
  timelineSummary?: Maybe<EntityTimelineSummary>;
  /** Contents crawled. */
  totalContents: Scalars['Int']['output'];
  /** Count of active periods. */
  totalPeriods: Scalars['Int']['output'];
  /** Accounts tracked for this topic, by name. */
  trackedUsers: Array<TrackedUser>;
  /** topic or creator. */
  type: Scalars['String']['output'];
  /** When it last changed. */
  updatedAt: Scalars['DateTime']['output'];
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicAnomaliesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  metric: Scalars['String']['input'];
  threshold?: InputMaybe<Scalars['Float']['input']>;
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicContentTimelineArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  minRelevance?: InputMaybe<Scalars['Float']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicCrawlEffectivenessArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  platform?: InputMaybe<Scalars['String']['input']>;
  querySearch?: InputMaybe<Scalars['String']['input']>;
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicDurationOutliersArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  threshold?: InputMaybe<Scalars['Float']['input']>;
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicEventStatsArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  window?: InputMaybe<RelativeWindow>;
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  eventType?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  pendingOnly?: InputMaybe<Scalars['Boolean']['input']>;
  severity?: InputMaybe<Array<Severity>>;
  unresolvedOnly?: InputMaybe<Scalars['Boolean']['input']>;
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicMetricSeriesArgs = {
  aggregate?: InputMaybe<Aggregate>;
  bucket: TimeBucket;
  fill?: InputMaybe<GapFill>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  metric: Scalars['String']['input'];
  to?: InputMaybe<Scalars['DateTime']['input']>;
  window?: InputMaybe<RelativeWindow>;
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicMetricTrendArgs = {
  last?: InputMaybe<Scalars['Int']['input']>;
  metric?: InputMaybe<Scalars['String']['input']>;
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicOpenEventsAtArgs = {
  at: Scalars['DateTime']['input'];
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicPeriodByNumberArgs = {
  number: Scalars['Int']['input'];
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicPeriodsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<Array<PeriodStatus>>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicTimelineGapsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  minHours?: InputMaybe<Scalars['Float']['input']>;
};


/** A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles. */
export type TopicTrackedUsersArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
};

/** A page of topics. */
export type TopicConnection = {
  __typename?: 'TopicConnection';
  /** The items of this page with their cursors. */
  edges: Array<TopicEdge>;
  /** Paging information. */
  pageInfo: PageInfo;
  /** Number of items in the whole connection, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An item of a list with its cursor. */
export type TopicEdge = {
  __typename?: 'TopicEdge';
  /** Opaque cursor of this item; stable when items are added. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: Topic;
};

/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUser = Entity & {
  __typename?: 'TrackedUser';
  /** Active periods whose metric is more than `threshold` standard deviations from the mean, newest first. */
  anomalies: Array<MetricAnomaly>;
  /** Mean period length in hours. */
  avgPeriodDurationHours?: Maybe<Scalars['Float']['output']>;
  /** Snapshots of active periods inside [from, to] (get_content_timeline): newest period first, then relevance. */
  contentTimeline: ContentTimelineConnection;
  /** Crawl queries ranked by effectiveness (v_crawl_effectiveness_ranking), best first. */
  crawlEffectiveness: CrawlEffectivenessConnection;
  /** When it was added. */
  createdAt: Scalars['DateTime']['output'];
  /** Number of the newest period (null before the first). */
  currentPeriodNumber?: Maybe<Scalars['Int']['output']>;
  /** Active periods whose length is more than `threshold` standard deviations from the mean length of the entity’s active periods, oldest first. */
  durationOutliers: Array<AnalysisPeriod>;
  /** TOPIC or USER. */
  entityType: EntityType;
  /** Events opened, resolved and still open in the window (default: all time up to now), and how long they took to resolve. */
  eventStats: EventStats;
  /** Temporal events of the entity, newest detection first. */
  events: TemporalEventConnection;
  /** When it was first analysed. */
  firstAnalysisAt?: Maybe<Scalars['DateTime']['output']>;
  /** The database UUID. */
  id: Scalars['ID']['output'];
  /** Pinned accounts are listed first. */
  isPinned: Scalars['Boolean']['output'];
  /** When it was last crawled. */
  lastCrawlAt?: Maybe<Scalars['DateTime']['output']>;
  /** The newest period. */
  lastPeriod?: Maybe<AnalysisPeriod>;
  /** A metric per time bucket over the active periods (a period counts in every bucket it overlaps; see Aggregate). Without a window: the entity’s whole history of that metric. */
  metricSeries: Array<MetricBucket>;
  /** Metrics per active period with the two before (mv_period_metrics_trend), oldest first. */
  metricTrend: Array<MetricTrendPoint>;
  /** Display name. */
  name: Scalars['String']['output'];
  /** The events that were open at this instant (detected by then, not yet resolved), oldest detection first. */
  openEventsAt: Array<TemporalEvent>;
  /** The active period with this number (get_period_by_number). */
  periodByNumber?: Maybe<AnalysisPeriod>;
  /** The timeline, newest first. Status defaults to [ACTIVE]; from/to keep periods overlapping [from, to). */
  periods: AnalysisPeriodConnection;
  /** Platform of the account. */
  platform: Scalars['String']['output'];
  /** Profile link. */
  profileUrl: Scalars['String']['output'];
  /** Monitoring status. */
  status: Scalars['String']['output'];
  /** Stretches between consecutive active periods that no period covers, longer than minHours, oldest first. */
  timelineGaps: Array<TimelineGap>;
  /** Totals over the active periods (v_entity_timeline_summary); null before the first period. */
  timelineSummary?: Maybe<EntityTimelineSummary>;
  /** Contents crawled. */
  totalContents: Scalars['Int']['output'];
  /** Count of active periods. */
  totalPeriods: Scalars['Int']['output'];
  /** When it last changed. */
  updatedAt: Scalars['DateTime']['output'];
  /** Handle on the platform. */
  username?: Maybe<Scalars['String']['output']>;
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserAnomaliesArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  metric: Scalars['String']['input'];
  threshold?: InputMaybe<Scalars['Float']['input']>;
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserContentTimelineArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  minRelevance?: InputMaybe<Scalars['Float']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserCrawlEffectivenessArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  platform?: InputMaybe<Scalars['String']['input']>;
  querySearch?: InputMaybe<Scalars['String']['input']>;
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserDurationOutliersArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  threshold?: InputMaybe<Scalars['Float']['input']>;
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserEventStatsArgs = {
  from?: InputMaybe<Scalars['DateTime']['input']>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
  window?: InputMaybe<RelativeWindow>;
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserEventsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  eventType?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  pendingOnly?: InputMaybe<Scalars['Boolean']['input']>;
  severity?: InputMaybe<Array<Severity>>;
  unresolvedOnly?: InputMaybe<Scalars['Boolean']['input']>;
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserMetricSeriesArgs = {
  aggregate?: InputMaybe<Aggregate>;
  bucket: TimeBucket;
  fill?: InputMaybe<GapFill>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  metric: Scalars['String']['input'];
  to?: InputMaybe<Scalars['DateTime']['input']>;
  window?: InputMaybe<RelativeWindow>;
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserMetricTrendArgs = {
  last?: InputMaybe<Scalars['Int']['input']>;
  metric?: InputMaybe<Scalars['String']['input']>;
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserOpenEventsAtArgs = {
  at: Scalars['DateTime']['input'];
  limit?: InputMaybe<Scalars['Int']['input']>;
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserPeriodByNumberArgs = {
  number: Scalars['Int']['input'];
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserPeriodsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  asOf?: InputMaybe<Scalars['DateTime']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
  from?: InputMaybe<Scalars['DateTime']['input']>;
  status?: InputMaybe<Array<PeriodStatus>>;
  to?: InputMaybe<Scalars['DateTime']['input']>;
};


/** A tracked social-media account (table users), analysed in cycles like a topic. */
export type TrackedUserTimelineGapsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  minHours?: InputMaybe<Scalars['Float']['input']>;
};

/** A page of tracked users. */
export type TrackedUserConnection = {
  __typename?: 'TrackedUserConnection';
  /** The items of this page with their cursors. */
  edges: Array<TrackedUserEdge>;
  /** Paging information. */
  pageInfo: PageInfo;
  /** Number of items in the whole connection, across all pages. */
  totalCount: Scalars['Int']['output'];
};

/** An item of a list with its cursor. */
export type TrackedUserEdge = {
  __typename?: 'TrackedUserEdge';
  /** Opaque cursor of this item; stable when items are added. */
  cursor: Scalars['String']['output'];
  /** The item. */
  node: TrackedUser;
};

/** Changes to an event; fields left out keep their value. */
export type UpdateTemporalEventInput = {
  /** New description. */
  description?: InputMaybe<Scalars['String']['input']>;
  /** UUID of the event. */
  id: Scalars['ID']['input'];
  /** New metadata (replaces the old). */
  metadata?: InputMaybe<Scalars['JSON']['input']>;
  /** New severity. */
  severity?: InputMaybe<Severity>;
  /** New title. */
  title?: InputMaybe<Scalars['String']['input']>;
};

export type ExplorerEntitiesQueryVariables = Exact<{
  search?: InputMaybe<Scalars['String']['input']>;
  status?: InputMaybe<Scalars['String']['input']>;
  first: Scalars['Int']['input'];
}>;


export type ExplorerEntitiesQuery = { __typename?: 'Query', topics: { __typename?: 'TopicConnection', edges: Array<{ __typename?: 'TopicEdge', node: { __typename?: 'Topic', id: string, name: string, status: string, totalPeriods: number, lastPeriod?: { __typename?: 'AnalysisPeriod', analyzedAt: string } | null } }> }, trackedUsers: { __typename?: 'TrackedUserConnection', edges: Array<{ __typename?: 'TrackedUserEdge', node: { __typename?: 'TrackedUser', id: string, name: string, status: string, platform: string, totalPeriods: number, lastPeriod?: { __typename?: 'AnalysisPeriod', analyzedAt: string } | null } }> } };

export type ExplorerEntityQueryVariables = Exact<{
  type: EntityType;
  id: Scalars['ID']['input'];
}>;


export type ExplorerEntityQuery = { __typename?: 'Query', entity?: { __typename: 'Topic', id: string, name: string, entityType: EntityType, totalPeriods: number, currentPeriodNumber?: number | null, timelineGaps: Array<{ __typename?: 'TimelineGap', start: string, end: string, hours: number }>, lastPeriod?: { __typename?: 'AnalysisPeriod', metrics: unknown } | null } | { __typename: 'TrackedUser', id: string, name: string, entityType: EntityType, totalPeriods: number, currentPeriodNumber?: number | null, timelineGaps: Array<{ __typename?: 'TimelineGap', start: string, end: string, hours: number }>, lastPeriod?: { __typename?: 'AnalysisPeriod', metrics: unknown } | null } | null };

export type ExplorerPeriodsQueryVariables = Exact<{
  type: EntityType;
  id: Scalars['ID']['input'];
  after?: InputMaybe<Scalars['String']['input']>;
  eventLimit: Scalars['Int']['input'];
}>;


export type ExplorerPeriodsQuery = { __typename?: 'Query', entity?: { __typename?: 'Topic', periods: { __typename?: 'AnalysisPeriodConnection', edges: Array<{ __typename?: 'AnalysisPeriodEdge', node: { __typename?: 'AnalysisPeriod', id: string, periodNumber: number, status: PeriodStatus, periodStart: string, periodEnd: string, analyzedAt: string, summaryShort?: string | null, events: Array<{ __typename?: 'TemporalEvent', id: string, title: string, eventType: string, severity: Severity, firstDetectedAt: string, resolvedAt?: string | null }> } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | { __typename?: 'TrackedUser', periods: { __typename?: 'AnalysisPeriodConnection', edges: Array<{ __typename?: 'AnalysisPeriodEdge', node: { __typename?: 'AnalysisPeriod', id: string, periodNumber: number, status: PeriodStatus, periodStart: string, periodEnd: string, analyzedAt: string, summaryShort?: string | null, events: Array<{ __typename?: 'TemporalEvent', id: string, title: string, eventType: string, severity: Severity, firstDetectedAt: string, resolvedAt?: string | null }> } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null };

export type ExplorerEventsQueryVariables = Exact<{
  type: EntityType;
  id: Scalars['ID']['input'];
  severity?: InputMaybe<Array<Severity> | Severity>;
  pendingOnly?: InputMaybe<Scalars['Boolean']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ExplorerEventsQuery = { __typename?: 'Query', entity?: { __typename?: 'Topic', events: { __typename?: 'TemporalEventConnection', edges: Array<{ __typename?: 'TemporalEventEdge', node: { __typename?: 'TemporalEvent', id: string, title: string, eventType: string, severity: Severity, firstDetectedAt: string, resolvedAt?: string | null } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | { __typename?: 'TrackedUser', events: { __typename?: 'TemporalEventConnection', edges: Array<{ __typename?: 'TemporalEventEdge', node: { __typename?: 'TemporalEvent', id: string, title: string, eventType: string, severity: Severity, firstDetectedAt: string, resolvedAt?: string | null } }>, pageInfo: { __typename?: 'PageInfo', hasNextPage: boolean, endCursor?: string | null } } } | null };

export type ExplorerSeriesQueryVariables = Exact<{
  type: EntityType;
  id: Scalars['ID']['input'];
  metric: Scalars['String']['input'];
  bucket: TimeBucket;
  fill: GapFill;
}>;


export type ExplorerSeriesQuery = { __typename?: 'Query', entity?: { __typename?: 'Topic', metricSeries: Array<{ __typename?: 'MetricBucket', start: string, end: string, value?: number | null, periodCount: number, filled: boolean }>, anomalies: Array<{ __typename?: 'MetricAnomaly', periodId: string, periodNumber: number, metricValue: number, zScore: number, period: { __typename?: 'AnalysisPeriod', periodEnd: string } }> } | { __typename?: 'TrackedUser', metricSeries: Array<{ __typename?: 'MetricBucket', start: string, end: string, value?: number | null, periodCount: number, filled: boolean }>, anomalies: Array<{ __typename?: 'MetricAnomaly', periodId: string, periodNumber: number, metricValue: number, zScore: number, period: { __typename?: 'AnalysisPeriod', periodEnd: string } }> } | null };

export type ExplorerPeriodQueryVariables = Exact<{
  id: Scalars['ID']['input'];
}>;


export type ExplorerPeriodQuery = { __typename?: 'Query', period?: { __typename?: 'AnalysisPeriod', id: string, periodNumber: number, status: PeriodStatus, periodStart: string, periodEnd: string, analyzedAt: string, summary: string, insights: unknown, metrics: unknown, qualityScore?: number | null, completenessScore?: number | null, metricChanges: Array<{ __typename?: 'MetricChange', key: string, previous?: unknown | null, current?: unknown | null, absolute?: number | null, percent?: number | null }>, events: Array<{ __typename?: 'TemporalEvent', id: string, title: string, severity: Severity, eventType: string, firstDetectedAt: string, resolvedAt?: string | null, description: string }>, crawlEffectiveness: Array<{ __typename?: 'CrawlEffectiveness', id: string, platform: string, query: string, totalFound: number, relevantCount: number, effectivenessScore?: number | null }>, supersededBy?: { __typename?: 'AnalysisPeriod', id: string, periodNumber: number } | null, supersedes: Array<{ __typename?: 'AnalysisPeriod', id: string, periodNumber: number, analyzedAt: string, supersessionReason?: string | null }> } | null };

export type ExplorerCompareQueryVariables = Exact<{
  type: EntityType;
  id: Scalars['ID']['input'];
  from: Scalars['Int']['input'];
  to: Scalars['Int']['input'];
}>;


export type ExplorerCompareQuery = { __typename?: 'Query', comparePeriods: { __typename?: 'PeriodComparison', elapsedHours: number, contentCountChange: number, qualityChange?: number | null, completenessChange?: number | null, metrics: Array<{ __typename?: 'MetricChange', key: string, previous?: unknown | null, current?: unknown | null, absolute?: number | null, percent?: number | null }>, eventsOpened: Array<{ __typename?: 'TemporalEvent', id: string, title: string, severity: Severity }>, eventsResolved: Array<{ __typename?: 'TemporalEvent', id: string, title: string, severity: Severity }>, eventsOngoing: Array<{ __typename?: 'TemporalEvent', id: string, title: string, severity: Severity }>, contentOverlap: { __typename?: 'ContentOverlap', shared: number, onlyFrom: number, onlyTo: number } } };

export type ExplorerLivePeriodsSubscriptionVariables = Exact<{
  type?: InputMaybe<EntityType>;
  id?: InputMaybe<Scalars['ID']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ExplorerLivePeriodsSubscription = { __typename?: 'Subscription', periodCreated: { __typename?: 'AnalysisPeriod', id: string, entityId: string, periodNumber: number, status: PeriodStatus, periodStart: string, periodEnd: string, analyzedAt: string, summaryShort?: string | null } };

export type ExplorerLiveEventsSubscriptionVariables = Exact<{
  type?: InputMaybe<EntityType>;
  id?: InputMaybe<Scalars['ID']['input']>;
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ExplorerLiveEventsSubscription = { __typename?: 'Subscription', eventChanged: { __typename?: 'TemporalEventChange', kind: TemporalEventChangeKind, event: { __typename?: 'TemporalEvent', id: string, title: string, eventType: string, severity: Severity, firstDetectedAt: string, resolvedAt?: string | null } } };

export type ExplorerLiveTrendSubscriptionVariables = Exact<{
  after?: InputMaybe<Scalars['String']['input']>;
}>;


export type ExplorerLiveTrendSubscription = { __typename?: 'Subscription', metricsTrendRefreshed: { __typename?: 'MetricsTrendFreshness', refreshedAt?: string | null } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}

export const ExplorerEntitiesDocument = new TypedDocumentString(`
    query ExplorerEntities($search: String, $status: String, $first: Int!) {
  topics(first: $first, search: $search, status: $status) {
    edges {
      node {
        id
        name
        status
        totalPeriods
        lastPeriod {
          analyzedAt
        }
      }
    }
  }
  trackedUsers(first: $first, search: $search, status: $status) {
    edges {
      node {
        id
        name
        status
        platform
        totalPeriods
        lastPeriod {
          analyzedAt
        }
      }
    }
  }
}
    `, {"hash":"3f504f104cd80e9b5d44b3c476e5dca2f6f75e22bca14e0d619e7ddd15ba4986"}) as unknown as TypedDocumentString<ExplorerEntitiesQuery, ExplorerEntitiesQueryVariables>;
export const ExplorerEntityDocument = new TypedDocumentString(`
    query ExplorerEntity($type: EntityType!, $id: ID!) {
  entity(type: $type, id: $id) {
    __typename
    id
    name
    entityType
    totalPeriods
    currentPeriodNumber
    timelineGaps(limit: 1000) {
      start
      end
      hours
    }
    lastPeriod {
      metrics
    }
  }
}
    `, {"hash":"49237c8f72f04c5d56796dd7400062b6f3fc3c95881d0c4a32879f2843a9f4ec"}) as unknown as TypedDocumentString<ExplorerEntityQuery, ExplorerEntityQueryVariables>;
export const ExplorerPeriodsDocument = new TypedDocumentString(`
    query ExplorerPeriods($type: EntityType!, $id: ID!, $after: String, $eventLimit: Int!) {
  entity(type: $type, id: $id) {
    periods(
      first: 100
      after: $after
      status: [ACTIVE, SUPERSEDED, DRAFT, ARCHIVED, FAILED]
    ) {
      edges {
        node {
          id
          periodNumber
          status
          periodStart
          periodEnd
          analyzedAt
          summaryShort
          events(limit: $eventLimit) {
            id
            title
            eventType
            severity
            firstDetectedAt
            resolvedAt
          }
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `, {"hash":"1b2d0cdd9b4749897be5c0886f362a414bc2a2a93402cad5efcfbe19c55af39e"}) as unknown as TypedDocumentString<ExplorerPeriodsQuery, ExplorerPeriodsQueryVariables>;
export const ExplorerEventsDocument = new TypedDocumentString(`
    query ExplorerEvents($type: EntityType!, $id: ID!, $severity: [Severity!], $pendingOnly: Boolean, $after: String) {
  entity(type: $type, id: $id) {
    events(
      first: 100
      after: $after
      severity: $severity
      pendingOnly: $pendingOnly
    ) {
      edges {
        node {
          id
          title
          eventType
          severity
          firstDetectedAt
          resolvedAt
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
}
    `, {"hash":"cb4830631c420e1bf9636ea81a88ece383731cf07c05d386d8e63ded118236d6"}) as unknown as TypedDocumentString<ExplorerEventsQuery, ExplorerEventsQueryVariables>;
export const ExplorerSeriesDocument = new TypedDocumentString(`
    query ExplorerSeries($type: EntityType!, $id: ID!, $metric: String!, $bucket: TimeBucket!, $fill: GapFill!) {
  entity(type: $type, id: $id) {
    metricSeries(metric: $metric, bucket: $bucket, fill: $fill) {
      start
      end
      value
      periodCount
      filled
    }
    anomalies(metric: $metric, threshold: 2) {
      periodId
      periodNumber
      metricValue
      zScore
      period {
        periodEnd
      }
    }
  }
}
    `, {"hash":"517ce072eb061415c5a45504317b525c13b99275564ff06da74d363e1c9e0e87"}) as unknown as TypedDocumentString<ExplorerSeriesQuery, ExplorerSeriesQueryVariables>;
export const ExplorerPeriodDocument = new TypedDocumentString(`
    query ExplorerPeriod($id: ID!) {
  period(id: $id) {
    id
    periodNumber
    status
    periodStart
    periodEnd
    analyzedAt
    summary
    insights
    metrics
    qualityScore
    completenessScore
    metricChanges {
      key
      previous
      current
      absolute
      percent
    }
    events {
      id
      title
      severity
      eventType
      firstDetectedAt
      resolvedAt
      description
    }
    crawlEffectiveness {
      id
      platform
      query
      totalFound
      relevantCount
      effectivenessScore
    }
    supersededBy {
      id
      periodNumber
    }
    supersedes {
      id
      periodNumber
      analyzedAt
      supersessionReason
    }
  }
}
    `, {"hash":"62015717b60951c39b987a6a33e4f514bf58031f8ad97fc6a8256b743a047f06"}) as unknown as TypedDocumentString<ExplorerPeriodQuery, ExplorerPeriodQueryVariables>;
export const ExplorerCompareDocument = new TypedDocumentString(`
    query ExplorerCompare($type: EntityType!, $id: ID!, $from: Int!, $to: Int!) {
  comparePeriods(entityType: $type, entityId: $id, from: $from, to: $to) {
    elapsedHours
    contentCountChange
    qualityChange
    completenessChange
    metrics {
      key
      previous
      current
      absolute
      percent
    }
    eventsOpened {
      id
      title
      severity
    }
    eventsResolved {
      id
      title
      severity
    }
    eventsOngoing {
      id
      title
      severity
    }
    contentOverlap {
      shared
      onlyFrom
      onlyTo
    }
  }
}
    `, {"hash":"6b4f902cb6d4a959caa3ed2787c7fb3053547fc6d369b627f0a8a8bfcc606c0a"}) as unknown as TypedDocumentString<ExplorerCompareQuery, ExplorerCompareQueryVariables>;
export const ExplorerLivePeriodsDocument = new TypedDocumentString(`
    subscription ExplorerLivePeriods($type: EntityType, $id: ID, $after: String) {
  periodCreated(entityType: $type, entityId: $id, after: $after) {
    id
    entityId
    periodNumber
    status
    periodStart
    periodEnd
    analyzedAt
    summaryShort
  }
}
    `, {"hash":"adbf3d67a4a2097c13e851072b8b94a2e0cc50a8104ea1bd12d98b3ab1569340"}) as unknown as TypedDocumentString<ExplorerLivePeriodsSubscription, ExplorerLivePeriodsSubscriptionVariables>;
export const ExplorerLiveEventsDocument = new TypedDocumentString(`
    subscription ExplorerLiveEvents($type: EntityType, $id: ID, $after: String) {
  eventChanged(entityType: $type, entityId: $id, after: $after) {
    kind
    event {
      id
      title
      eventType
      severity
      firstDetectedAt
      resolvedAt
    }
  }
}
    `, {"hash":"88148b09bd015b81188dfaebc8edb8f7016f06f5a0793af2dc6f6b0d90860044"}) as unknown as TypedDocumentString<ExplorerLiveEventsSubscription, ExplorerLiveEventsSubscriptionVariables>;
export const ExplorerLiveTrendDocument = new TypedDocumentString(`
    subscription ExplorerLiveTrend($after: String) {
  metricsTrendRefreshed(after: $after) {
    refreshedAt
  }
}
    `, {"hash":"cfb3331f0324578fc612322b12e1a41642e7afd3e7c0a409b1bb0f6b34e2a519"}) as unknown as TypedDocumentString<ExplorerLiveTrendSubscription, ExplorerLiveTrendSubscriptionVariables>;