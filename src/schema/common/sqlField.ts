import { getArgumentValues, type FieldNode, type GraphQLField, type GraphQLInterfaceType, type GraphQLObjectType, type GraphQLResolveInfo } from 'graphql';
import type { GraphQLContext } from '../../context.js';
import { entityKeyOf } from '../../services/entities/entityReads.js';
import { prefetchedValue, type ParentKeys, type ParentKind, type ReadAhead, type SqlRead } from '../../services/common/sqlReads.js';
import { planOnce, planPerRequest, selectedFieldNodes } from './selection.js';

/**
 * Fields whose value is one SQL read (services/common/sqlReads.ts), declared once with `sqlField`: the
 * read, and how the field's arguments become its request (validated, BAD_USER_INPUT naming the
 * argument). From that declaration come both ways the field is read:
 * - ahead, by its parent's statement: `readAheadFor` plans, for the parent's selection, which
 *   declared fields to read with it (once per document; their requests once per request);
 * - batched, by the resolver, when the parent came without it: one statement for all parents.
 * A domain declares its fields in its own folder; the parent's statement does not know them.
 */

/** The GraphQL types whose statements read declared fields ahead, and the kind of row each is. */
const PARENTS = {
  Entity: { kind: 'entity', key: (row: unknown) => entityKeyOf(row as { id: string }) },
  AnalysisPeriod: { kind: 'period', key: (row: unknown) => (row as { id: string }).id },
} as const satisfies Record<string, { kind: ParentKind; key: (row: unknown) => ParentKeys[ParentKind] }>;
export type ParentType = keyof typeof PARENTS;

type KindOf<P extends ParentType> = (typeof PARENTS)[P]['kind'];

interface Declaration {
  read: SqlRead;
  request(args: Record<string, unknown>, ctx: GraphQLContext, info: GraphQLResolveInfo, path: string[]): unknown;
}

const declared: Record<ParentType, Map<string, Declaration>> = { Entity: new Map(), AnalysisPeriod: new Map() };

export interface SqlFieldOptions<P extends ParentType, Args, Request, Result> {
  read: SqlRead<KindOf<P>, Request>;
  /** The field's arguments as the read's request. `path` leads from `info`'s field to this one ([] in its own resolver). */
  request(args: Args, ctx: GraphQLContext, info: GraphQLResolveInfo, path: string[]): Request;
  /** What the field returns, from the read's JSON value (default: the value itself). */
  result?(value: unknown, request: Request, parent: unknown, ctx: GraphQLContext): Result | Promise<Result>;
}

/** Declares `parentType.fieldName` as a SQL field; returns its resolver. */
export function sqlField<P extends ParentType, Args, Request, Result = unknown>(
  parentType: P,
  fieldName: string,
  options: SqlFieldOptions<P, Args, Request, Result>,
): (parent: unknown, args: Args, ctx: GraphQLContext, info: GraphQLResolveInfo) => Result | Promise<Result> {
  if (declared[parentType].has(fieldName)) throw new Error(`${parentType}.${fieldName} is declared twice`);
  declared[parentType].set(fieldName, options as unknown as Declaration);
  const { kind, key } = PARENTS[parentType];
  const answer = (value: unknown, request: Request, parent: unknown, ctx: GraphQLContext) => (options.result ? options.result(value, request, parent, ctx) : value) as Result | Promise<Result>;
  // Not async: a value read ahead (the usual case, once per parent row) is answered without a
  // promise, which the executor would otherwise have to await for every row.
  return (parent, args, ctx, info) => {
    // The same for every parent the field resolves under in this request (its arguments come from the document and the variables).
    const request = planPerRequest(info, 'sqlField:request', () => options.request(args, ctx, info, []));
    const ahead = prefetchedValue(parent, info.path.key as string);
    if (ahead) return answer(ahead.value, request, parent, ctx);
    const loader = (kind === 'entity' ? ctx.loaders.entityRead : ctx.loaders.periodRead) as typeof ctx.loaders.periodRead;
    return loader.load({ item: key(parent) as never, args: { read: options.read as SqlRead, request } }).then((value) => answer(value, request, parent, ctx));
  };
}

interface Planned {
  key: string;
  path: string[];
  node: FieldNode;
  definition: GraphQLField<unknown, unknown>;
  declaration: Declaration;
}

/**
 * The declared fields of `parentType` selected on the object at `path` below `info`'s field, with
 * their requests: what that object's statement reads ahead, by response key. The selection is
 * walked once per document; the arguments are read once per request (they may be variables, and
 * relative windows end at the request's clock). A field whose arguments its request refuses is
 * left to its resolver, which reports them.
 */
export function readAheadFor(parentType: ParentType, info: GraphQLResolveInfo, ctx: GraphQLContext, path: string[] = []): ReadAhead | null {
  const planKey = `readAhead:${parentType}:${path.join('.')}`;
  const plan = planOnce(info, planKey, (): Planned[] => {
    const fields = (info.schema.getType(parentType) as GraphQLObjectType | GraphQLInterfaceType).getFields();
    return selectedFieldNodes(info, path).flatMap((node) => {
      const declaration = declared[parentType].get(node.name.value);
      const definition = fields[node.name.value];
      if (!declaration || !definition) return [];
      return [{ key: node.alias?.value ?? node.name.value, path: [...path, node.name.value], node, definition, declaration }];
    });
  });
  if (plan.length === 0) return null;
  return planPerRequest(info, planKey, () => {
    const readAhead: ReadAhead = {};
    for (const { key, path: fieldPath, node, definition, declaration } of plan) {
      try {
        const request = declaration.request(getArgumentValues(definition, node, info.variableValues), ctx, info, fieldPath);
        readAhead[key] = { read: declaration.read, request };
      } catch {
        // refused arguments: the field's resolver reports them
      }
    }
    return Object.keys(readAhead).length ? readAhead : null;
  });
}
