import DataLoader from 'dataloader';
import type { Queryable } from './db/queryable.js';
import { timelineSummaries } from './services/analytics/timelineShape.js';
import { entitiesByKey, type EntityFields } from './services/entities/entityReads.js';
import { countContentTimeline, loadContentTimelinePages, type ContentTimelineFilter } from './services/analytics/contentTimeline.js';
import { countEffectiveness, crawlEffectivenessById, loadEffectivenessPages, type EffectivenessFilter } from './services/crawl/crawlReads.js';
import { countEvents, eventsById, loadEventPages, type EventFilter } from './services/events/eventReads.js';
import { eventsOpenAt, eventsOverlappingPeriods } from './services/analytics/eventLifecycle.js';
import { metricsTrendFreshness } from './services/analytics/trendRefresh.js';
import { durationOutliers, timelineGaps } from './services/analytics/timelineShape.js';
import { readPerKey, type ListRead, type ReadRequest } from './services/common/sqlReads.js';
import {
  countPeriods,
  neighbouringPeriods,
  periodsById,
  periodsByNumber,
  supersededPeriods,
  type Direction,
  type EntityKey,
  type NumberedKey,
  type PeriodFilter,
  type PeriodPosition,
  type PeriodSelection,
} from './services/periods/periodReads.js';

/**
 * The one batching mechanism: per-request DataLoaders over the services' many-keys functions.
 * A key carries the item (an entity, a period) and the arguments of the field that asked for it,
 * including which fields to load; keys with equal arguments are loaded by one call (one
 * statement), so a field nested under a list of N parents costs one statement per distinct
 * argument set instead of N.
 */
export interface Keyed<Item, Args> {
  item: Item;
  args: Args;
}

function loaderByArgs<Item, Args, Value>(load: (items: Item[], args: Args) => Promise<Value[]>): DataLoader<Keyed<Item, Args>, Value, string> {
  return new DataLoader<Keyed<Item, Args>, Value, string>(
    async (keys) => {
      const groups = new Map<string, number[]>();
      keys.forEach((key, index) => {
        const group = JSON.stringify(key.args);
        const members = groups.get(group);
        if (members) members.push(index);
        else groups.set(group, [index]);
      });
      const results = new Array<Value | Error>(keys.length);
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          try {
            const values = await load(indexes.map((i) => keys[i]!.item), keys[indexes[0]!]!.args);
            indexes.forEach((keyIndex, position) => (results[keyIndex] = values[position]!));
          } catch (error) {
            // One argument set's failure is its own keys' alone: the batch's other groups (another
            // alias, another subscriber's filter on the same feed page) keep their values.
            const failure = error instanceof Error ? error : new Error(String(error));
            for (const keyIndex of indexes) results[keyIndex] = failure;
          }
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => JSON.stringify(key) },
  );
}

type Fields = { fields: readonly string[] };
type Selected = { selection: PeriodSelection };
type Paged = { size: number; after?: string | null };

/**
 * The loaders, each made from the request's database handle. Made afresh for every request (so
 * nothing is cached across requests) and only when first used: a request touches a few of them.
 */
const LOADERS = {
  entity: (db: Queryable) => loaderByArgs((keys: EntityKey[], fields: EntityFields) => entitiesByKey(db, keys, fields)),
  /** Every declared field of an entity or a period that its parent's statement did not read ahead. */
  entityRead: (db: Queryable) => loaderByArgs((keys: EntityKey[], { read, request }: ReadRequest) => readPerKey(db, 'entity', keys, read, request)),
  periodRead: (db: Queryable) => loaderByArgs((ids: string[], { read, request }: ReadRequest) => readPerKey(db, 'period', ids, read, request)),
  periodCounts: (db: Queryable) => loaderByArgs((entities: EntityKey[], args: PeriodFilter) => countPeriods(db, entities, args)),
  periodById: (db: Queryable) => loaderByArgs((ids: string[], args: Selected) => periodsById(db, ids, args.selection)),
  eventById: (db: Queryable) => loaderByArgs((ids: string[], args: Fields) => eventsById(db, ids, args.fields)),
  crawlEffectivenessById: (db: Queryable) => loaderByArgs((ids: string[], args: Fields) => crawlEffectivenessById(db, ids, args.fields)),
  supersededPeriods: (db: Queryable) =>
    loaderByArgs((ids: string[], args: Selected & { limit: number }) => supersededPeriods(db, ids, args.selection, args.limit)),
  periodByNumber: (db: Queryable) => loaderByArgs((keys: NumberedKey[], args: Selected) => periodsByNumber(db, keys, args.selection)),
  neighbourPeriod: (db: Queryable) =>
    loaderByArgs((periods: PeriodPosition[], args: Selected & { direction: Direction }) => neighbouringPeriods(db, periods, args.direction, args.selection)),
  eventPages: (db: Queryable) => loaderByArgs((entities: EntityKey[], args: EventFilter & Paged & Fields) => loadEventPages(db, entities, args)),
  eventCounts: (db: Queryable) => loaderByArgs((entities: EntityKey[], args: EventFilter) => countEvents(db, entities, args)),
  effectivenessPages: (db: Queryable) =>
    loaderByArgs((entities: EntityKey[], args: EffectivenessFilter & Paged) => loadEffectivenessPages(db, entities, args)),
  effectivenessCounts: (db: Queryable) => loaderByArgs((entities: EntityKey[], args: EffectivenessFilter) => countEffectiveness(db, entities, args)),
  contentTimelinePages: (db: Queryable) =>
    loaderByArgs((entities: EntityKey[], args: ContentTimelineFilter & Paged) => loadContentTimelinePages(db, entities, args)),
  contentTimelineCounts: (db: Queryable) =>
    loaderByArgs((entities: EntityKey[], args: ContentTimelineFilter) => countContentTimeline(db, entities, args)),
  timelineSummary: (db: Queryable) =>
    new DataLoader((keys: readonly EntityKey[]) => timelineSummaries(db, [...keys]), { cacheKeyFn: (k) => `${k.entityType}:${k.entityId}` }),
  openEventsAt: (db: Queryable) =>
    loaderByArgs((entities: EntityKey[], args: { at: Date } & ListRead) => eventsOpenAt(db, entities, args.at, args.fields, args.limit)),
  durationOutliers: (db: Queryable) =>
    loaderByArgs((entities: EntityKey[], args: { threshold: number; limit: number } & Selected) =>
      durationOutliers(db, entities, args.threshold, args.selection, args.limit),
    ),
  timelineGaps: (db: Queryable) =>
    loaderByArgs((entities: EntityKey[], args: { minHours: number; limit: number }) => timelineGaps(db, entities, args.minHours, args.limit)),
  overlappingEvents: (db: Queryable) => loaderByArgs((periodIds: string[], args: ListRead) => eventsOverlappingPeriods(db, periodIds, args.fields, args.limit)),
  /** One key ('trend'): the view's freshness, read once per request. */
  trendFreshness: (db: Queryable) =>
    new DataLoader(async (keys: readonly 'trend'[]) => {
      const freshness = await metricsTrendFreshness(db);
      return keys.map(() => freshness);
    }),
};

export type Loaders = { readonly [Name in keyof typeof LOADERS]: ReturnType<(typeof LOADERS)[Name]> };

// One getter per loader on a shared prototype: the first read makes the loader and keeps it on
// the request's object, so a request pays only for the loaders it uses.
const LOADERS_PROTOTYPE: object = Object.create(
  null,
  Object.fromEntries(
    Object.entries(LOADERS).map(([name, make]) => [
      name,
      {
        get(this: { db: Queryable }) {
          const loader = make(this.db);
          Object.defineProperty(this, name, { value: loader });
          return loader;
        },
      },
    ]),
  ),
);

export function createLoaders(db: Queryable): Loaders {
  return Object.assign(Object.create(LOADERS_PROTOTYPE) as Loaders, { db });
}

const loadersOfPage = new WeakMap<object, Loaders>();

/**
 * The loaders of one page of the change feed (a delivery's `page`), shared by everything that
 * resolves or filters that page's changes for any subscriber: what they load is loaded once, in
 * one statement per kind for the whole page. Released with the page.
 */
export function pageLoaders(page: object, db: Queryable): Loaders {
  let loaders = loadersOfPage.get(page);
  if (!loaders) loadersOfPage.set(page, (loaders = createLoaders(db)));
  return loaders;
}
