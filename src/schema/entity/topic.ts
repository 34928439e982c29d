import type { Prisma } from '../../generated/prisma/client.js';
import { builder } from '../builder.js';

builder.prismaObject('Topic', {
  description: 'A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The database UUID.' }),
    name: t.exposeString('name', { description: 'Display name.' }),
    type: t.exposeString('type', { description: 'topic or creator.' }),
    icon: t.exposeString('icon', { description: 'Emoji shown next to the name.' }),
    description: t.exposeString('description', { nullable: true, description: 'Free-text description.' }),
    keywords: t.exposeStringList('keywords', { description: 'Search keywords the crawler uses.' }),
    platforms: t.exposeStringList('platforms', { description: 'Platforms crawled for this topic.' }),
    status: t.exposeString('status', { description: 'Monitoring status (active, paused, ...).' }),
    totalContents: t.exposeInt('totalContents', { description: 'Contents crawled for this topic.' }),
    currentPeriodNumber: t.exposeInt('currentPeriodNumber', { nullable: true, description: 'Number of the newest analysis period.' }),
    totalPeriods: t.exposeInt('totalPeriods', { description: 'Count of active analysis periods.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When the topic was created.' }),
  }),
});

function topicFilter(args: { status?: string | null; search?: string | null }): Prisma.TopicWhereInput {
  return {
    ...(args.status ? { status: args.status } : {}),
    ...(args.search ? { name: { contains: args.search, mode: 'insensitive' } } : {}),
  };
}

builder.queryFields((t) => ({
  topics: t.prismaConnection({
    type: 'Topic',
    cursor: 'id',
    description: 'Topics, pinned first, then by position and name.',
    args: {
      status: t.arg.string({ required: false, description: 'Only topics with this status.' }),
      search: t.arg.string({ required: false, description: 'Case-insensitive substring of the name.' }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.topic.findMany({
        ...query,
        where: topicFilter(args),
        orderBy: [{ isPinned: 'desc' }, { position: 'asc' }, { name: 'asc' }, { id: 'asc' }],
      }),
    totalCount: (_connection, args, ctx) => ctx.prisma.topic.count({ where: topicFilter(args) }),
  }, { name: 'TopicConnection', description: 'A page of topics.' }, { name: 'TopicEdge' }),
}));
