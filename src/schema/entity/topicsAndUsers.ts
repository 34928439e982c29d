import type { GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../../context.js';
import { badUserInput } from '../../errors.js';
import type { Topic, TrackedUser } from '../../generated/prisma/client.js';
import { countEntityList, entityListCursor, loadEntityList, type EntityListFilter } from '../../services/entities/entityReads.js';
import { pageSize } from '../../services/common/pages.js';
import { assertText } from '../../services/common/validation.js';
import { builder } from '../builder.js';
import { parseUuid } from '../common/args.js';
import { toConnection, type RelayConnection } from '../common/connection.js';
import { ENTITY_LIST, limitedList, listLimit } from '../common/lists.js';
import { EntityTypeEnum, type EntityKind } from '../common/enums.js';
import { entityFields, EntityRef, loadEntity, type EntityModel } from './entity.js';

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
      description: 'Accounts tracked for this topic, by name.',
      ...limitedList(t.arg, ENTITY_LIST),
      select: (args, ctx) => ({
        users: { select: { user: true }, orderBy: [{ user: { name: 'asc' } }, { userId: 'asc' }], take: listLimit(args.limit, ENTITY_LIST, ctx) },
      }),
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

/**
 * A page of the topics or tracked-users list, as a connection: forward (first/after) or backward
 * (last/before), with the columns the selection needs; totalCount counted when selected.
 */
function entityList(
  kind: EntityKind,
  filter: EntityListFilter,
  args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null },
  ctx: GraphQLContext,
  info: GraphQLResolveInfo,
) {
  assertText(filter.search, 'search', { maxLength: 256 });
  const backward = args.last !== null && args.last !== undefined;
  if (backward && args.first !== null && args.first !== undefined) {
    throw badUserInput('give `first` (with `after`) or `last` (with `before`), not both', 'last');
  }
  const size = pageSize(args, ctx.config.pagination);
  const { [kind]: fields, readAhead } = entityFields(info, ctx, ['edges', 'node']);
  return loadEntityList(ctx.pool, kind, filter, { size, after: args.after, before: args.before, backward }, fields, readAhead).then(({ rows, hasMore }) => {
    const connection = toConnection({ nodes: rows, hasNextPage: backward ? Boolean(args.before) : hasMore, totalCount: 0 }, entityListCursor, backward ? hasMore : Boolean(args.after));
    return { ...connection, totalCount: () => countEntityList(ctx.pool, kind, filter) };
  });
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
  topics: t.connection(
    {
      type: TopicRef,
      description: 'Topics, pinned first, then by position and name.',
      args: {
        status: t.arg.string({ required: false, description: 'Only topics with this status.' }),
        search: t.arg.string({ required: false, description: 'Case-insensitive substring of the name.' }),
      },
      resolve: (_root, args, ctx, info) =>
        entityList('topic', { status: args.status, search: args.search }, args, ctx, info) as Promise<RelayConnection<Topic> & { totalCount: () => Promise<number> }>,
    },
    TopicConnection,
  ),
  trackedUsers: t.connection(
    {
      type: TrackedUserRef,
      description: 'Tracked users, pinned first, then by position and name.',
      args: {
        platform: t.arg.string({ required: false, description: 'Only accounts on this platform.' }),
        status: t.arg.string({ required: false, description: 'Only accounts with this status.' }),
        search: t.arg.string({ required: false, description: 'Case-insensitive substring of the name.' }),
      },
      resolve: (_root, args, ctx, info) =>
        entityList('user', { platform: args.platform, status: args.status, search: args.search }, args, ctx, info) as Promise<
          RelayConnection<TrackedUser> & { totalCount: () => Promise<number> }
        >,
    },
    TrackedUserConnection,
  ),
}));
