import { getOperationAST } from 'graphql';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../context.js';
import { isWalPosition } from '../db/replicas.js';
import { createLoaders } from '../loaders.js';

/**
 * Every mutation's result carries `extensions.consistencyToken`, the primary's WAL position after
 * its commit, which the client sends back (`X-Consistency-Token`, or graphql-ws'
 * `connectionParams.consistencyToken`) to read its own writes. With read replicas
 * (DATABASE_READ_URLS), a query runs on the replica ReadReplicas picks (within the lag bound; past
 * the token when one is sent), its loaders and Prisma client with it. Mutations, subscriptions
 * (their payloads resolve on the primary, which has every change they announce) and everything
 * session-bound stay on the primary.
 */
export function useReadRouting(): Plugin<GraphQLContext> {
  return {
    async onExecute({ args, extendContext }) {
      const ctx = args.contextValue;
      const kind = getOperationAST(args.document, args.operationName)?.operation;
      const token = ctx.arrival.consistencyToken;
      if (token && !isWalPosition(token)) {
        throw createGraphQLError('`X-Consistency-Token` is not a consistency token: send back `extensions.consistencyToken` of a mutation', {
          extensions: { code: 'BAD_USER_INPUT', argument: 'X-Consistency-Token', http: { status: 400 } },
        });
      }
      if (kind === 'mutation') {
        return {
          async onExecuteDone({ result, setResult }) {
            // Only a mutation that wrote (some field answered) has a position worth reading past.
            if (!('data' in result) || !result.data || Object.values(result.data).every((value) => value === null)) return;
            // The database gone since the commit: the result goes without a token.
            const at = await ctx.pool.query<{ at: string }>('SELECT pg_current_wal_lsn()::text AS at').then(({ rows }) => rows[0]?.at, () => undefined);
            if (at) setResult({ ...result, extensions: { ...result.extensions, consistencyToken: at } });
          },
        };
      }
      if (kind !== 'query' || !ctx.replicas.configured) return;
      const target = await ctx.replicas.readTarget(token);
      if (!target) return;
      const { pool } = target;
      extendContext({ pool, prisma: target.prisma, loaders: createLoaders(pool) });
      return {
        onExecuteDone({ result }) {
          // A replica that went away is taken out at once; the next queries go elsewhere.
          for (const error of 'errors' in result ? (result.errors ?? []) : []) ctx.replicas.failed(pool, error.originalError ?? error);
        },
      };
    },
  };
}
