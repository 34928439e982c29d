import DataLoader from 'dataloader';
import type { AnalysisPeriod, PrismaClient, Topic, TrackedUser } from './generated/prisma/client.js';
import { metricAnomalies, metricTrends, timelineSummaries } from './services/analytics.js';
import {
  countContentTimeline,
  countEffectiveness,
  countEvents,
  loadContentTimelinePages,
  loadEffectivenessPages,
  loadEventPages,
  type ContentTimelineFilter,
  type EffectivenessFilter,
  type EventFilter,
} from './services/entityFeeds.js';
import {
  countPeriods,
  loadPeriodPages,
  neighbouringPeriods,
  periodsByNumber,
  type EntityKey,
  type NumberedKey,
  type PeriodFilter,
  type PeriodPageRequest,
} from './services/periods.js';

/** A loader key: the entity, and the field arguments that keys are grouped by. */
export interface Keyed<Args> {
  entity: EntityKey;
  args: Args;
}

/**
 * A loader whose keys carry arguments: keys with equal arguments are loaded together by one
 * call of `load` (one statement), so a field nested under a list of N parents costs one
 * statement per distinct argument set instead of N.
 */
function loaderByArgs<Args, Value>(load: (entities: EntityKey[], args: Args) => Promise<Value[]>): DataLoader<Keyed<Args>, Value, string> {
  return new DataLoader<Keyed<Args>, Value, string>(
    async (keys) => {
      const groups = new Map<string, number[]>();
      keys.forEach((key, index) => {
        const group = JSON.stringify(key.args);
        groups.set(group, [...(groups.get(group) ?? []), index]);
      });
      const results = new Array<Value>(keys.length);
      await Promise.all(
        [...groups.values()].map(async (indexes) => {
          const values = await load(indexes.map((i) => keys[i]!.entity), keys[indexes[0]!]!.args);
          indexes.forEach((keyIndex, position) => (results[keyIndex] = values[position]!));
        }),
      );
      return results;
    },
    { cacheKeyFn: (key) => JSON.stringify(key) },
  );
}

function loaderOf<Key, Value>(load: (keys: Key[]) => Promise<Value[]>): DataLoader<Key, Value, string> {
  return new DataLoader<Key, Value, string>((keys) => load([...keys]), { cacheKeyFn: (key) => JSON.stringify(key) });
}

type PeriodPosition = Pick<AnalysisPeriod, 'entityType' | 'entityId' | 'periodNumber'>;

/** The per-request loaders: made afresh for every request, so nothing is cached across requests. */
export function createLoaders(prisma: PrismaClient) {
  return {
    entity: loaderOf<EntityKey, Topic | TrackedUser | null>(async (keys) => {
      const ids = (type: string) => keys.filter((k) => k.entityType === type).map((k) => k.entityId);
      const [topics, users] = await Promise.all([
        ids('topic').length ? prisma.topic.findMany({ where: { id: { in: ids('topic') } } }) : [],
        ids('user').length ? prisma.trackedUser.findMany({ where: { id: { in: ids('user') } } }) : [],
      ]);
      const byKey = new Map<string, Topic | TrackedUser>([
        ...topics.map((t) => [`topic:${t.id}`, t] as const),
        ...users.map((u) => [`user:${u.id}`, u] as const),
      ]);
      return keys.map((k) => byKey.get(`${k.entityType}:${k.entityId}`) ?? null);
    }),
    periodPages: loaderByArgs((entities, args: PeriodPageRequest) => loadPeriodPages(prisma, entities, args)),
    periodCounts: loaderByArgs((entities, args: PeriodFilter) => countPeriods(prisma, entities, args)),
    periodByNumber: loaderOf((keys: NumberedKey[]) => periodsByNumber(prisma, keys)),
    previousPeriod: loaderOf((keys: PeriodPosition[]) => neighbouringPeriods(prisma, keys, 'previous')),
    nextPeriod: loaderOf((keys: PeriodPosition[]) => neighbouringPeriods(prisma, keys, 'next')),
    eventPages: loaderByArgs((entities, args: EventFilter & { size: number; after?: string | null }) => loadEventPages(prisma, entities, args)),
    eventCounts: loaderByArgs((entities, args: EventFilter) => countEvents(prisma, entities, args)),
    effectivenessPages: loaderByArgs((entities, args: EffectivenessFilter & { size: number; after?: string | null }) =>
      loadEffectivenessPages(prisma, entities, args),
    ),
    effectivenessCounts: loaderByArgs((entities, args: EffectivenessFilter) => countEffectiveness(prisma, entities, args)),
    contentTimelinePages: loaderByArgs((entities, args: ContentTimelineFilter & { size: number; after?: string | null }) =>
      loadContentTimelinePages(prisma, entities, args),
    ),
    contentTimelineCounts: loaderByArgs((entities, args: ContentTimelineFilter) => countContentTimeline(prisma, entities, args)),
    timelineSummary: loaderOf((keys: EntityKey[]) => timelineSummaries(prisma, keys)),
    metricTrend: loaderByArgs((entities, args: { metric?: string | null; last?: number | null }) => metricTrends(prisma, entities, args)),
    anomalies: loaderByArgs((entities, args: { metric: string; threshold: number }) => metricAnomalies(prisma, entities, args)),
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
