import {
  getArgumentValues,
  getNamedType,
  getNullableType,
  getOperationAST,
  getVariableValues,
  GraphQLError,
  isInputType,
  isInterfaceType,
  isListType,
  isObjectType,
  Kind,
  typeFromAST,
  valueFromAST,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { operationRule } from './operationRule.js';
import { GatewayError } from '../../errors.js';
import type { ListSize } from '../../schema/common/lists.js';
import { coarserBucket, seriesBuckets, type TimeBucket } from '../../services/analytics/metricSeries.js';
import { resolveRange, type RelativeWindow } from '../../services/common/timeWindows.js';
import { graphQLErrorOf } from '../errorCodes.js';

export interface CostLimits {
  maxCost: number;
  defaultPageSize: number;
  maxPageSize: number;
  maxSeriesBuckets: number;
  /** The largest `limit` of a list that is not paged (MAX_LIST_SIZE; 1,000 when not given). */
  maxListSize?: number;
}

// How a list field that is not a connection is bounded is declared next to its definition
// (`extensions.listSize`, see schema/common/lists.ts), in the spirit of the GraphQL cost
// directive's @listSize: by an argument that slices it, or by a size it cannot exceed.

/** What a series whose span is not known before it runs (an entity's whole history) counts as. */
const UNKNOWN_SPAN_BUCKETS = 100;
const OBJECT_COST = 2;
const SCALAR_COST = 1;

export interface CostEstimate {
  cost: number;
  /** The series with the most buckets, when the operation has one. */
  largestSeries: { field: string; buckets: number; bucket: TimeBucket } | null;
}

interface Evaluation {
  variables: Record<string, unknown>;
  now: Date;
  largestSeries: CostEstimate['largestSeries'];
  coerced?: Record<string, unknown>;
}

/** A selection's cost: a constant part, and the parts that depend on the request's variables (or clock). */
interface Term {
  constant: number;
  dynamic: ((evaluation: Evaluation) => number)[];
}

type Multiplier = number | ((evaluation: Evaluation) => number);

/**
 * What an operation will make the server do, worked out before it runs: each scalar field costs
 * 1, each object field 2 plus its selection, and a list multiplies its subtree by how many items
 * it can hold: a connection by its page size (`first`/`last`), a plain list by its `listSize`
 * bound, a metric series by its buckets (span ÷ bucket). Sizes come from literals, from the
 * request's variables, or from the variables' defaults in the operation; one that cannot be known
 * counts as its maximum. @skip and @include are not evaluated: what they drop still counts.
 *
 * The plan is made once per document and operation (the parsed document is cached and reused,
 * as Grafast reuses its plans): a request only evaluates the parts that depend on its variables.
 */
export class CostPlan {
  private readonly term: Term;
  private readonly operation: OperationDefinitionNode | null | undefined;

  constructor(
    private readonly schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | null | undefined,
    private readonly limits: CostLimits,
  ) {
    this.operation = getOperationAST(document, operationName);
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const root = this.operation ? (schema.getRootType(this.operation.operation) ?? undefined) : undefined;
    this.term = this.operation ? new Compiler(schema, this.operation, fragments, limits).selection(this.operation.selectionSet, root) : { constant: 0, dynamic: [] };
  }

  estimate(variables: Record<string, unknown>, now = new Date()): CostEstimate {
    const evaluation: Evaluation = { variables, now, largestSeries: null };
    let cost = this.term.constant;
    for (const part of this.term.dynamic) cost += part(evaluation);
    return { cost, largestSeries: evaluation.largestSeries };
  }

}

class Compiler {
  private readonly variableDefaults = new Map<string, unknown>();

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly operation: OperationDefinitionNode,
    private readonly fragments: Map<string, FragmentDefinitionNode>,
    private readonly limits: CostLimits,
  ) {
    for (const definition of operation.variableDefinitions ?? []) {
      const type = typeFromAST(schema, definition.type);
      if (definition.defaultValue && type && isInputType(type)) this.variableDefaults.set(definition.variable.name.value, valueFromAST(definition.defaultValue, type));
    }
  }

  selection(set: SelectionSetNode, type: GraphQLNamedType | undefined): Term {
    const term: Term = { constant: 0, dynamic: [] };
    const add = (part: Term) => {
      term.constant += part.constant;
      term.dynamic.push(...part.dynamic);
    };
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) add(this.field(selection, type));
      else if (selection.kind === Kind.INLINE_FRAGMENT) {
        add(this.selection(selection.selectionSet, selection.typeCondition ? this.schema.getType(selection.typeCondition.name.value) ?? undefined : type));
      } else {
        const fragment = this.fragments.get(selection.name.value);
        if (fragment) add(this.selection(fragment.selectionSet, this.schema.getType(fragment.typeCondition.name.value) ?? undefined));
      }
    }
    return term;
  }

  private field(node: FieldNode, parent: GraphQLNamedType | undefined): Term {
    if (!node.selectionSet) return { constant: SCALAR_COST, dynamic: [] };
    if (node.name.value === '__schema' || node.name.value === '__type') return { constant: 0, dynamic: [] };
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[node.name.value] : undefined;
    const inner = this.selection(node.selectionSet, definition ? getNamedType(definition.type) : undefined);
    // A connection's edges are the page its field already counted.
    const pageOfConnection = node.name.value === 'edges' && parent !== undefined && isObjectType(parent) && 'pageInfo' in parent.getFields();
    const multiplier = definition && !pageOfConnection ? this.multiplier(node, definition) : 1;
    if (typeof multiplier === 'number') {
      return { constant: (OBJECT_COST + inner.constant) * multiplier, dynamic: inner.dynamic.map((part) => (evaluation) => part(evaluation) * multiplier) };
    }
    return {
      constant: 0,
      dynamic: [
        (evaluation) => {
          let subtree = OBJECT_COST + inner.constant;
          for (const part of inner.dynamic) subtree += part(evaluation);
          return subtree * multiplier(evaluation);
        },
      ],
    };
  }

  /** How many times a field's subtree counts. */
  private multiplier(node: FieldNode, definition: GraphQLField<unknown, unknown>): Multiplier {
    const maxList = this.limits.maxListSize ?? 1_000;
    if (definition.args.some((arg) => arg.name === 'first')) {
      // A connection. Past the maximum a field refuses the size itself (BAD_USER_INPUT, before any SQL): count the maximum.
      const given = node.arguments?.find((arg) => arg.name.value === 'first' || arg.name.value === 'last');
      return this.size(given?.value, this.limits.defaultPageSize, this.limits.maxPageSize);
    }
    if (definition.extensions?.seriesCost) return (evaluation) => this.seriesBuckets(node, definition, evaluation);
    if (!isListType(getNullableType(definition.type))) return 1;
    const listSize = definition.extensions?.listSize as ListSize | undefined;
    if (listSize && 'assumedSize' in listSize) return listSize.assumedSize;
    if (!listSize) return maxList;
    const given = node.arguments?.find((arg) => arg.name.value === listSize.slicingArgument);
    return this.size(given?.value, listSize.defaultSize, maxList);
  }

  /** A size argument: its literal or variable value (the variable's default when not sent), else `fallback`; within 1..max. */
  private size(value: ValueNode | undefined, fallback: number, max: number): Multiplier {
    const clamp = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? Math.max(1, Math.min(n, max)) : n === null || n === undefined ? fallback : max);
    if (!value) return fallback;
    if (value.kind === Kind.INT) return clamp(Number.parseInt(value.value, 10));
    if (value.kind === Kind.NULL) return fallback;
    if (value.kind !== Kind.VARIABLE) return max;
    const name = value.name.value;
    const defaultValue = this.variableDefaults.get(name);
    return (evaluation) => clamp(name in evaluation.variables ? evaluation.variables[name] : defaultValue);
  }

  private seriesBuckets(node: FieldNode, definition: GraphQLField<unknown, unknown>, evaluation: Evaluation): number {
    let args: { bucket?: TimeBucket; from?: Date | null; to?: Date | null; window?: RelativeWindow | null };
    try {
      // Read as execution will see them: the variables coerced (enum values, DateTimes), once per request.
      evaluation.coerced ??= getVariableValues(this.schema, this.operation.variableDefinitions ?? [], evaluation.variables).coerced ?? {};
      args = getArgumentValues(definition, node, evaluation.coerced) as typeof args;
    } catch {
      return 1; // invalid arguments: execution refuses them before any SQL
    }
    if (!args.bucket) return 1;
    let buckets: number | null;
    try {
      const range = resolveRange(args, evaluation.now);
      buckets = seriesBuckets(args.bucket, range.from, range.to);
    } catch {
      return 1; // a malformed window: BAD_USER_INPUT at execution
    }
    const counted = Math.min(buckets ?? UNKNOWN_SPAN_BUCKETS, this.limits.maxSeriesBuckets);
    if (!evaluation.largestSeries || counted > evaluation.largestSeries.buckets) {
      evaluation.largestSeries = { field: node.name.value, buckets: counted, bucket: args.bucket };
    }
    return counted;
  }
}

/** Per limits object (one per gateway: the page and list sizes are part of a plan), per document, per operation. */
const plans = new WeakMap<CostLimits, WeakMap<DocumentNode, Map<string, CostPlan>>>();

/** The plan of an operation of a document, made at its first request. */
export function costPlan(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, limits: CostLimits): CostPlan {
  let byDocument = plans.get(limits);
  if (!byDocument) plans.set(limits, (byDocument = new WeakMap()));
  let byOperation = byDocument.get(document);
  if (!byOperation) byDocument.set(document, (byOperation = new Map()));
  const key = operationName ?? '';
  let plan = byOperation.get(key);
  if (!plan) byOperation.set(key, (plan = new CostPlan(schema, document, operationName, limits)));
  return plan;
}

/** The estimate of one request (tests and the benchmark call it directly). */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  limits: CostLimits,
  now = new Date(),
): CostEstimate {
  return costPlan(schema, document, operationName, limits).estimate(variables, now);
}

/** The refusal of an operation over the limit: RANGE_TOO_LARGE when a metric series makes it so, else COST_LIMIT_EXCEEDED. */
function refusal({ cost, largestSeries }: CostEstimate, maxCost: number): GraphQLError {
  if (largestSeries && largestSeries.buckets > 1) {
    const coarser = coarserBucket(largestSeries.bucket);
    return graphQLErrorOf(
      new GatewayError(
        'RANGE_TOO_LARGE',
        `The request would scan about ${cost} values (at most ${maxCost}); \`${largestSeries.field}\` alone has ${largestSeries.buckets} ${largestSeries.bucket} buckets per entity: ${coarser ? `use a coarser bucket (${coarser}), ` : ''}a shorter window, or fewer entities.`,
        { maxCost, cost, buckets: largestSeries.buckets, ...(coarser ? { suggestedBucket: coarser } : {}) },
      ),
    );
  }
  return new GraphQLError(`Query Cost limit of ${maxCost} exceeded, found ${cost}.`, {
    extensions: {
      code: 'COST_LIMIT_EXCEEDED',
      maxCost,
      cost,
      hint: 'Ask for smaller pages (first/last), smaller lists (limit), fewer aliases or less nesting.',
    },
  });
}

/**
 * Refuses, before it runs, an operation whose estimated cost is over MAX_QUERY_COST: a query or
 * mutation before execution, a subscription before it starts (its cost is what each delivery
 * will cost).
 */
export function useQueryCost(limits: CostLimits): Plugin {
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; operationName?: string | null; variableValues?: unknown; contextValue: unknown }) => {
    const plan = costPlan(args.schema, args.document, args.operationName, limits);
    const estimate = plan.estimate((args.variableValues ?? {}) as Record<string, unknown>, (args.contextValue as { now?: Date }).now);
    return estimate.cost <= limits.maxCost ? null : { errors: [refusal(estimate, limits.maxCost)] };
  };
  return operationRule(check);
}
