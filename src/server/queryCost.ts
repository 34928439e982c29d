import {
  getArgumentValues,
  getVariableValues,
  getNamedType,
  getOperationAST,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { GatewayError } from '../errors.js';
import { coarserBucket, seriesBuckets, type TimeBucket } from '../services/metricSeries.js';
import { resolveRange, type RelativeWindow } from '../services/timeWindows.js';
import { graphQLErrorOf } from './errorCodes.js';

export interface CostLimits {
  maxCost: number;
  defaultPageSize: number;
  maxPageSize: number;
  maxSeriesBuckets: number;
}

/** What a series whose span is not known before it runs (an entity's whole history) counts as. */
const UNKNOWN_SPAN_BUCKETS = 100;

export interface CostEstimate {
  cost: number;
  /** The series with the most buckets, when the operation has one. */
  largestSeries: { field: string; buckets: number; bucket: TimeBucket } | null;
}

const OBJECT_COST = 2;
const SCALAR_COST = 1;

/**
 * What a request will make the server do, estimated before it runs: each scalar field costs 1,
 * each object field 2 plus its selection, and a paged field (`first`/`last`) multiplies its
 * subtree by the page size. Unlike a validation rule, this sees the variables: a page size sent
 * as `$first` counts with its value (graphql-armor's rule counted it as 1, so 30 aliases of
 * three nested pages of 100 went through as variables and were refused as literals). A page
 * size not given counts as the default page, one that cannot be known as the maximum. A metric
 * series (a field marked `extensions.seriesCost`) multiplies its subtree by its bucket count,
 * span ÷ bucket, from its arguments (literals, variables, a relative window against `now`).
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  limits: CostLimits,
  now = new Date(),
): CostEstimate {
  const operation = getOperationAST(document, operationName);
  if (!operation) return { cost: 0, largestSeries: null };
  // A series' arguments are read as execution will see them: with the variables coerced (enum
  // values, DateTimes), once, and only for an operation that has a series.
  let coercedVariables: Record<string, unknown> | undefined;
  let largestSeries: CostEstimate['largestSeries'] = null;
  const bucketsOf = (field: FieldNode, definition: GraphQLField<unknown, unknown>): number => {
    let args: { bucket?: TimeBucket; from?: Date | null; to?: Date | null; window?: RelativeWindow | null };
    try {
      coercedVariables ??= getVariableValues(schema, operation.variableDefinitions ?? [], variables).coerced ?? {};
      args = getArgumentValues(definition, field, coercedVariables) as typeof args;
    } catch {
      return 1; // invalid arguments: execution refuses them before any SQL
    }
    if (!args.bucket) return 1;
    let buckets: number | null = null;
    try {
      const range = resolveRange(args, now);
      buckets = seriesBuckets(args.bucket, range.from, range.to);
    } catch {
      return 1; // a malformed window: BAD_USER_INPUT at execution
    }
    const counted = Math.min(buckets ?? UNKNOWN_SPAN_BUCKETS, limits.maxSeriesBuckets);
    if (!largestSeries || counted > largestSeries.buckets) largestSeries = { field: field.name.value, buckets: counted, bucket: args.bucket };
    return counted;
  };
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }

  const pageSize = (value: ValueNode): number => {
    if (value.kind === Kind.INT) return Number.parseInt(value.value, 10);
    if (value.kind === Kind.VARIABLE) {
      const given = variables[value.name.value];
      if (given === undefined || given === null) return limits.defaultPageSize;
      return typeof given === 'number' && Number.isFinite(given) ? given : limits.maxPageSize;
    }
    return limits.maxPageSize;
  };

  const fieldCost = (field: FieldNode, parent: GraphQLNamedType | undefined): number => {
    if (!field.selectionSet) return SCALAR_COST;
    if (field.name.value === '__schema' || field.name.value === '__type') return 0;
    const definition = parent && (isObjectType(parent) || isInterfaceType(parent)) ? parent.getFields()[field.name.value] : undefined;
    const size = field.arguments?.find((arg) => arg.name.value === 'first' || arg.name.value === 'last');
    let multiplier = 1;
    // Past the maximum a field refuses the size itself (BAD_USER_INPUT, before any SQL): count the maximum.
    if (size) multiplier = Math.max(1, Math.min(pageSize(size.value), limits.maxPageSize));
    else if (definition?.args.some((arg) => arg.name === 'first')) multiplier = limits.defaultPageSize;
    else if (definition?.extensions?.seriesCost) multiplier = bucketsOf(field, definition);
    return (OBJECT_COST + selectionCost(field.selectionSet, definition ? getNamedType(definition.type) : undefined)) * multiplier;
  };

  const selectionCost = (set: SelectionSetNode, type: GraphQLNamedType | undefined): number => {
    let total = 0;
    for (const selection of set.selections) {
      if (selection.kind === Kind.FIELD) {
        total += fieldCost(selection, type);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        total += selectionCost(selection.selectionSet, selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : type);
      } else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) total += selectionCost(fragment.selectionSet, schema.getType(fragment.typeCondition.name.value));
      }
    }
    return total;
  };

  const root = schema.getRootType(operation.operation) ?? undefined;
  return { cost: selectionCost(operation.selectionSet, root), largestSeries };
}

/**
 * Refuses, before execution, an operation whose estimated cost is over the limit: with
 * RANGE_TOO_LARGE when a metric series has more than one bucket (its span is what to shorten),
 * else COST_LIMIT_EXCEEDED.
 */
export function useQueryCost(limits: CostLimits): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const now = (args.contextValue as { now?: Date }).now;
      const { cost, largestSeries } = estimateCost(args.schema, args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>, limits, now);
      if (cost <= limits.maxCost) return;
      if (largestSeries && largestSeries.buckets > 1) {
        const coarser = coarserBucket(largestSeries.bucket);
        const error = new GatewayError(
          'RANGE_TOO_LARGE',
          `The request would scan about ${cost} values (at most ${limits.maxCost}); \`${largestSeries.field}\` alone has ${largestSeries.buckets} ${largestSeries.bucket} buckets per entity: ${coarser ? `use a coarser bucket (${coarser}), ` : ''}a shorter window, or fewer entities.`,
          { maxCost: limits.maxCost, cost, buckets: largestSeries.buckets, ...(coarser ? { suggestedBucket: coarser } : {}) },
        );
        setResultAndStopExecution({ errors: [graphQLErrorOf(error)] });
        return;
      }
      setResultAndStopExecution({
        errors: [
          new GraphQLError(`Query Cost limit of ${limits.maxCost} exceeded, found ${cost}.`, {
            extensions: {
              code: 'COST_LIMIT_EXCEEDED',
              maxCost: limits.maxCost,
              cost,
              hint: 'Ask for smaller pages (first/last), fewer aliases or less nesting.',
            },
          }),
        ],
      });
    },
  };
}
