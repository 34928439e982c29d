import { builder } from '../builder.js';
import { NESTED_LIST, limitedList, listLimit } from '../common/lists.js';

export const ContentRef = builder.prismaObject('Content', {
  description: 'A crawled post, video or comment.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The database UUID.' }),
    platform: t.exposeString('platform', { description: 'Platform it was crawled from (x, reddit, youtube, ...).' }),
    platformContentId: t.exposeString('platformContentId', { nullable: true, description: 'Its id on that platform.' }),
    sourceUrl: t.exposeString('sourceUrl', { description: 'Link to the original.' }),
    crawledAt: t.expose('crawledAt', { type: 'DateTime', description: 'When the crawler fetched it.' }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true, description: 'When it was published.' }),
    discoveredAt: t.expose('discoveredAt', { type: 'DateTime', nullable: true, description: 'When it was first seen.' }),
    authorUsername: t.exposeString('authorUsername', { nullable: true, description: 'Author handle.' }),
    authorDisplayName: t.exposeString('authorDisplayName', { nullable: true, description: 'Author display name.' }),
    text: t.exposeString('text', { nullable: true, description: 'Text of the content.' }),
    lang: t.exposeString('lang', { nullable: true, description: 'Language code.' }),
    hashtags: t.exposeStringList('hashtags', { description: 'Hashtags.' }),
    processingStatus: t.exposeString('processingStatus', { nullable: true, description: 'Processing state (processed, ...).' }),
    keyPoints: t.expose('keyPoints', { type: 'JSON', nullable: true, description: 'Key points extracted by the analyst.' }),
    metrics: t.expose('metrics', { type: 'JSON', description: 'Engagement metrics on the platform.' }),
    relevanceScore: t.exposeFloat('relevanceScore', { nullable: true, description: 'Relevance to its entity, 0..1.' }),
    analysisPeriodId: t.exposeID('analysisPeriodId', { nullable: true, description: 'The period that analysed it.' }),
    media: t.relation('media', {
      description: 'Attached media in display order.',
      ...limitedList(t.arg, NESTED_LIST),
      query: (args, ctx) => ({ orderBy: [{ position: 'asc' }, { id: 'asc' }], take: listLimit(args.limit, NESTED_LIST, ctx) }),
    }),
  }),
});

builder.prismaObject('ContentMedia', {
  description: 'An image or video attached to a content item.',
  fields: (t) => ({
    id: t.exposeInt('id', { description: 'Row id.' }),
    mediaType: t.exposeString('mediaType', { description: 'image, video, ...' }),
    url: t.exposeString('url', { description: 'Source URL.' }),
    videoUrl: t.exposeString('videoUrl', { nullable: true, description: 'Video stream URL.' }),
    downloadStatus: t.exposeString('downloadStatus', { nullable: true, description: 'Download state.' }),
    position: t.exposeInt('position', { description: 'Display order.' }),
  }),
});
