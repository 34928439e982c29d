import {
  getNamedType,
  getOperationAST,
  GraphQLError,
  isInterfaceType,
  isObjectType,
  Kind,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLNamedType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface CostLimits {
  maxCost: number;
  defaultPageSize: number;
  maxPageSize: number;
}

const OBJECT_COST = 2;
const SCALAR_COST = 1;

/**
 * What a request will make the server do, estimated before it runs: each scalar field costs 1,
 * each object field 2 plus its selection, and a paged field (`first`/`last`) multiplies its
 * subtree by the page size. Unlike a validation rule, this sees the variables: a page size sent
 * as `$first` counts with its value (graphql-armor's rule counted it as 1, so 30 aliases of
 * three nested pages of 100 went through as variables and were refused as literals). A page
 * size not given counts as the default page, one that cannot be known as the maximum.
 */
export function estimateCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
  limits: CostLimits,
): number {
  const operation = getOperationAST(document, operationName);
  if (!operation) return 0;
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
  return selectionCost(operation.selectionSet, root);
}

/** Refuses, before execution, an operation whose estimated cost is over the limit. */
export function useQueryCost(limits: CostLimits): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const cost = estimateCost(args.schema, args.document, args.operationName, (args.variableValues ?? {}) as Record<string, unknown>, limits);
      if (cost <= limits.maxCost) return;
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
