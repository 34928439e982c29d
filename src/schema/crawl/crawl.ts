import type { GraphQLResolveInfo } from 'graphql';
import type { CrawlEffectiveness } from '../../generated/prisma/client.js';
import { effectivenessCursor, PERIOD_CRAWL_EFFECTIVENESS, type EffectivenessRank } from '../../services/crawl/crawlReads.js';
import { assertText } from '../../services/common/validation.js';
import { builder } from '../builder.js';
import { forwardPageArgs, pageOf } from '../common/args.js';
import { NESTED_LIST, limitedList, listLimit } from '../common/lists.js';
import { fieldsToLoad } from '../common/selection.js';
import { sqlField } from '../common/sqlField.js';
import { entityConnection, entityField, EntityRef, entityTypeField, keyOf } from '../entity/entity.js';
import { AnalysisPeriodRef } from '../period/period.js';

/** The crawl-effectiveness columns the object at `path` below `info`'s field needs. */
export function crawlEffectivenessFields(info: GraphQLResolveInfo, path: string[] = []): string[] {
  return fieldsToLoad(info, 'CrawlEffectiveness', ['id'], path);
}

export const CrawlEffectivenessRef = builder.prismaObject('CrawlEffectiveness', {
  description: 'How well one crawl query worked for one entity in one period.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The database UUID.' }),
    periodId: t.exposeID('periodId', { description: 'The period it belongs to.' }),

    entityId: t.exposeID('entityId', { description: 'UUID of the topic or tracked user.' }),
    platform: t.exposeString('platform', { description: 'Platform crawled.' }),
    query: t.exposeString('query', { description: 'The crawl query.' }),
    totalFound: t.exposeInt('totalFound', { description: 'Results found.' }),
    relevantCount: t.exposeInt('relevantCount', { description: 'Relevant results (≤ totalFound).' }),
    highValueCount: t.exposeInt('highValueCount', { description: 'High-value results (≤ relevantCount).' }),
    effectivenessScore: t.exposeFloat('effectivenessScore', { nullable: true, description: 'Overall effectiveness, 0..1.' }),
    avgRelevance: t.exposeFloat('avgRelevance', { nullable: true, description: 'Mean relevance of results, 0..1.' }),
    coverageRatio: t.exposeFloat('coverageRatio', { nullable: true, description: 'Coverage, 0..1.' }),
    recommendations: t.exposeString('recommendations', { nullable: true, description: 'What to change about the query.' }),
    tasks: t.relation('tasks', {
      description: 'Tasks that ran this query, oldest first.',
      ...limitedList(t.arg, NESTED_LIST),
      query: (args, ctx) => ({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }], take: listLimit(args.limit, NESTED_LIST, ctx) }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was recorded.' }),
  }),
});

export const CrawlEffectivenessRankRef = builder.objectRef<EffectivenessRank>('CrawlEffectivenessRank').implement({
  description: 'A crawl-effectiveness record as v_crawl_effectiveness_ranking ranks it.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'UUID of the crawl-effectiveness record.' }),
    periodId: t.exposeID('periodId', { description: 'The period it belongs to.' }),
    platform: t.exposeString('platform', { description: 'Platform crawled.' }),
    query: t.exposeString('query', { description: 'The crawl query.' }),
    totalFound: t.exposeInt('totalFound', { description: 'Results found.' }),
    relevantCount: t.exposeInt('relevantCount', { description: 'Relevant results.' }),
    highValueCount: t.exposeInt('highValueCount', { description: 'High-value results.' }),
    effectivenessScore: t.exposeFloat('effectivenessScore', { nullable: true, description: 'Effectiveness, 0..1.' }),
    avgRelevance: t.exposeFloat('avgRelevance', { nullable: true, description: 'Mean relevance, 0..1.' }),
    coverageRatio: t.exposeFloat('coverageRatio', { nullable: true, description: 'Coverage, 0..1.' }),
    recommendations: t.exposeString('recommendations', { nullable: true, description: 'What to change about the query.' }),
    recentAvgEffectiveness: t.exposeFloat('recentAvgEffectiveness', {
      nullable: true,
      description: 'Mean effectiveness of the 3 newest records of the same entity and platform.',
    }),
    querySimilarity: t.exposeFloat('querySimilarity', { nullable: true, description: 'Trigram similarity to querySearch, when given.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was recorded.' }),
    record: t.field({
      type: CrawlEffectivenessRef,
      description: 'The full crawl-effectiveness record.',
      resolve: async (rank, _args, ctx, info) => (await ctx.loaders.crawlEffectivenessById.load({ item: rank.id, args: { fields: crawlEffectivenessFields(info) } }))!,
    }),
  }),
});

export const CrawlEffectivenessConnection = builder.connectionObject(
  { type: CrawlEffectivenessRankRef, name: 'CrawlEffectivenessConnection', description: 'Crawl queries ranked by effectiveness, best first.' },
  { name: 'CrawlEffectivenessEdge' },
);

builder.prismaObjectFields(CrawlEffectivenessRef, (t) => ({ entityType: t.field(entityTypeField), entity: t.field(entityField) }));

builder.interfaceFields(EntityRef, (t) => ({
  crawlEffectiveness: t.field({
    type: CrawlEffectivenessConnection,
    description: 'Crawl queries ranked by effectiveness (v_crawl_effectiveness_ranking), best first.',
    args: {
      platform: t.arg.string({ required: false, description: 'Only this platform.' }),
      querySearch: t.arg.string({ required: false, description: 'Only queries similar to this text (trigram similarity).' }),
      ...forwardPageArgs(t.arg),
    },
    resolve: (entity, args, ctx) => {
      // Trigram matching costs grow with the text: a search is a few words, not a document.
      assertText(args.querySearch, 'querySearch', { maxLength: 256 });
      assertText(args.platform, 'platform', { maxLength: 16 });
      const filter = { platform: args.platform ?? null, querySearch: args.querySearch || null };
      return entityConnection(
        { pages: ctx.loaders.effectivenessPages, counts: ctx.loaders.effectivenessCounts },
        keyOf(entity),
        filter,
        pageOf(args, ctx),
        effectivenessCursor,
      );
    },
  }),
}));

// How each crawl query of a period worked: read with the period, or for many periods at once.
const resolvePeriodCrawl = sqlField('AnalysisPeriod', 'crawlEffectiveness', {
  read: PERIOD_CRAWL_EFFECTIVENESS,
  request: (args: { limit?: number | null }, ctx, info, path) => ({ fields: crawlEffectivenessFields(info, path), limit: listLimit(args.limit, NESTED_LIST, ctx) }),
  result: (records) => records as CrawlEffectiveness[],
});

builder.prismaObjectFields(AnalysisPeriodRef, (t) => ({
  crawlEffectiveness: t.field({
    type: [CrawlEffectivenessRef],
    description: 'How each crawl query of this period worked, best first.',
    ...limitedList(t.arg, NESTED_LIST),
    resolve: resolvePeriodCrawl,
  }),
}));
