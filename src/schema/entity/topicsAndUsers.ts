import type { Prisma, Topic, TrackedUser } from '../../generated/prisma/client.js';
import { assertText } from '../../services/validation.js';
import { builder } from '../builder.js';
import { parseUuid, prismaPageSizes } from '../common/args.js';
import { EntityTypeEnum } from '../common/enums.js';
import { EntityRef, loadEntity, type EntityModel } from './entity.js';

const TrackedUserRef = builder.prismaObject('TrackedUser', {
  description: 'A tracked social-media account (table users), analysed in cycles like a topic.',
  interfaces: [EntityRef],
  fields: (t) => ({
    platform: t.exposeString('platform', { description: 'Platform of the account.' }),
    username: t.exposeString('username', { nullable: true, description: 'Handle on the platform.' }),
    profileUrl: t.exposeString('profileUrl', { description: 'Profile link.' }),
    status: t.exposeString('status', { description: 'Monitoring status.' }),
    isPinned: t.exposeBoolean('isPinned', { description: 'Pinned accounts are listed first.' }),
    totalContents: t.exposeInt('totalContents', { description: 'Contents crawled.' }),
    lastCrawlAt: t.expose('lastCrawlAt', { type: 'DateTime', nullable: true, description: 'When it was last crawled.' }),
    firstAnalysisAt: t.expose('firstAnalysisAt', { type: 'DateTime', nullable: true, description: 'When it was first analysed.' }),
    avgPeriodDurationHours: t.exposeFloat('avgPeriodDurationHours', { nullable: true, description: 'Mean period length in hours.' }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was added.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

const TopicRef = builder.prismaObject('Topic', {
  description: 'A monitored topic (or creator) whose content the crawler collects and the analyst studies in cycles.',
  interfaces: [EntityRef],
  fields: (t) => ({
    type: t.exposeString('type', { description: 'topic or creator.' }),
    icon: t.exposeString('icon', { description: 'Emoji shown next to the name.' }),
    description: t.exposeString('description', { nullable: true, description: 'Free-text description.' }),
    keywords: t.exposeStringList('keywords', { description: 'Search keywords the crawler uses.' }),
    platforms: t.exposeStringList('platforms', { description: 'Platforms crawled.' }),
    status: t.exposeString('status', { description: 'Monitoring status (active, paused, ...).' }),
    isPinned: t.exposeBoolean('isPinned', { description: 'Pinned topics are listed first.' }),
    totalContents: t.exposeInt('totalContents', { description: 'Contents crawled.' }),
    lastCrawlAt: t.expose('lastCrawlAt', { type: 'DateTime', nullable: true, description: 'When it was last crawled.' }),
    firstAnalysisAt: t.expose('firstAnalysisAt', { type: 'DateTime', nullable: true, description: 'When it was first analysed.' }),
    avgPeriodDurationHours: t.exposeFloat('avgPeriodDurationHours', { nullable: true, description: 'Mean period length in hours.' }),
    trackedUsers: t.field({
      type: [TrackedUserRef],
      description: 'Accounts tracked for this topic.',
      select: { users: { select: { user: true } } },
      resolve: (topic) => topic.users.map((link) => link.user),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime', description: 'When it last changed.' }),
  }),
});

const TopicConnection = builder.connectionObject({ type: TopicRef, name: 'TopicConnection', description: 'A page of topics.' }, { name: 'TopicEdge' });
const TrackedUserConnection = builder.connectionObject(
  { type: TrackedUserRef, name: 'TrackedUserConnection', description: 'A page of tracked users.' },
  { name: 'TrackedUserEdge' },
);

const LIST_ORDER = [{ isPinned: 'desc' }, { position: 'asc' }, { name: 'asc' }, { id: 'asc' }] as const;

/** Prisma passes `contains` to ILIKE as is: escape its wildcards so `%` and `_` match themselves. */
function nameFilter(search: string | null | undefined) {
  assertText(search, 'search', { maxLength: 256 });
  return search ? { name: { contains: search.replace(/[\\%_]/g, '\\$&'), mode: 'insensitive' as const } } : {};
}

function topicFilter(args: { status?: string | null; search?: string | null }): Prisma.TopicWhereInput {
  return { ...(args.status ? { status: args.status } : {}), ...nameFilter(args.search) };
}

function userFilter(args: { platform?: string | null; status?: string | null; search?: string | null }): Prisma.TrackedUserWhereInput {
  return {
    ...(args.platform ? { platform: args.platform } : {}),
    ...(args.status ? { status: args.status } : {}),
    ...nameFilter(args.search),
  };
}

builder.queryFields((t) => ({
  topic: t.field({
    type: TopicRef,
    nullable: true,
    description: 'A topic by id; null when there is none.',
    args: { id: t.arg.id({ required: true, description: 'The topic UUID.' }) },
    resolve: (_root, args, ctx, info) => loadEntity(ctx, info, { entityType: 'topic', entityId: parseUuid(args.id, 'id') }) as Promise<Topic | null>,
  }),
  trackedUser: t.field({
    type: TrackedUserRef,
    nullable: true,
    description: 'A tracked user by id; null when there is none.',
    args: { id: t.arg.id({ required: true, description: 'The user UUID.' }) },
    resolve: (_root, args, ctx, info) =>
      loadEntity(ctx, info, { entityType: 'user', entityId: parseUuid(args.id, 'id') }) as Promise<TrackedUser | null>,
  }),
  entity: t.field({
    type: EntityRef,
    nullable: true,
    description: 'A topic or tracked user by type and id; null when there is none.',
    args: {
      type: t.arg({ type: EntityTypeEnum, required: true, description: 'TOPIC or USER.' }),
      id: t.arg.id({ required: true, description: 'The entity UUID.' }),
    },
    resolve: (_root, args, ctx, info): Promise<EntityModel | null> => loadEntity(ctx, info, { entityType: args.type, entityId: parseUuid(args.id, 'id') }),
  }),
  topics: t.prismaConnection(
    {
      type: 'Topic',
      cursor: 'id',
      description: 'Topics, pinned first, then by position and name.',
      args: {
        status: t.arg.string({ required: false, description: 'Only topics with this status.' }),
        search: t.arg.string({ required: false, description: 'Case-insensitive substring of the name.' }),
      },
      ...prismaPageSizes,
      resolve: (query, _root, args, ctx) => ctx.prisma.topic.findMany({ ...query, where: topicFilter(args), orderBy: [...LIST_ORDER] }),
      totalCount: (_connection, args, ctx) => ctx.prisma.topic.count({ where: topicFilter(args) }),
    },
    TopicConnection,
  ),
  trackedUsers: t.prismaConnection(
    {
      type: 'TrackedUser',
      cursor: 'id',
      description: 'Tracked users, pinned first, then by position and name.',
      args: {
        platform: t.arg.string({ required: false, description: 'Only accounts on this platform.' }),
        status: t.arg.string({ required: false, description: 'Only accounts with this status.' }),
        search: t.arg.string({ required: false, description: 'Case-insensitive substring of the name.' }),
      },
      ...prismaPageSizes,
      resolve: (query, _root, args, ctx) => ctx.prisma.trackedUser.findMany({ ...query, where: userFilter(args), orderBy: [...LIST_ORDER] }),
      totalCount: (_connection, args, ctx) => ctx.prisma.trackedUser.count({ where: userFilter(args) }),
    },
    TrackedUserConnection,
  ),
}));
