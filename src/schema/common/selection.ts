import { Kind, type FieldNode, type FragmentDefinitionNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import { isScalarField, type ModelName } from '../../db/sql.js';

function collectFields(
  selectionSet: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  into: FieldNode[],
): FieldNode[] {
  for (const selection of selectionSet?.selections ?? []) {
    if (selection.kind === 'Field') into.push(selection);
    else if (selection.kind === 'InlineFragment') collectFields(selection.selectionSet, fragments, into);
    else collectFields(fragments[selection.name.value]?.selectionSet, fragments, into);
  }
  return into;
}

/**
 * The names of the fields the document selects on the object found at `path` below the field
 * being resolved (through fragments and aliases). @skip/@include are not evaluated: a field
 * they drop is still counted, which only fetches a column more.
 */
export function selectedFieldNames(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: string[] = []): Set<string> {
  return new Set(selectedFieldNodes(info, path).map((node) => node.name.value));
}

/** The field nodes the document selects on the object at `path` (field names) below the field being resolved. */
export function selectedFieldNodes(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, path: string[] = []): FieldNode[] {
  let level: FieldNode[] = [...info.fieldNodes];
  for (const segment of path) {
    level = level.flatMap((node) => collectFields(node.selectionSet, info.fragments, [])).filter((node) => node.name.value === segment);
  }
  return level.flatMap((node) => collectFields(node.selectionSet, info.fragments, []));
}

/**
 * What a field of a model-backed type needs loaded: the model fields it reads. A field that is
 * a scalar of the model needs itself; the others say what they need (a relation loaded by its
 * own loader needs only its key column), registered by the domain that defines the field.
 */
export type FieldNeeds = Record<string, readonly string[]>;

const needsOf = new Map<ModelName, FieldNeeds>();

/** Registers what fields of `model` need loaded, next to their definitions. */
export function registerNeeds(model: ModelName, needs: FieldNeeds): void {
  needsOf.set(model, { ...needsOf.get(model), ...needs });
}

/**
 * The model fields to load for the object at `path`: `always` (keys and cursor fields), plus
 * what each selected field needs. Sorted, so equal selections batch together.
 */
export function fieldsToLoad(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>,
  model: ModelName,
  always: readonly string[],
  path: string[] = [],
): string[] {
  return planOnce(info, `fields:${model}:${path.join('.')}:${always.join(',')}`, () => planFields(info, model, always, path));
}

/**
 * A plan worked out from a field's selection, once per field nodes: a field under a list resolves
 * once per item with the same field nodes (and a cached document keeps them across requests).
 * `key` must identify the plan among those made for the same field.
 */
export function planOnce<T>(info: Pick<GraphQLResolveInfo, 'fieldNodes'>, key: string, plan: () => T): T {
  let cached = plans.get(info.fieldNodes);
  if (!cached) plans.set(info.fieldNodes, (cached = new Map()));
  if (!cached.has(key)) cached.set(key, plan());
  return cached.get(key) as T;
}

const plans = new WeakMap<readonly FieldNode[], Map<string, unknown>>();

/**
 * Which of `names` the document selects on the object at `path`, in the order of `names`
 * (planned once per field nodes): the optional parts a field's statement reads only when asked.
 */
export function selectedAmong<T extends string>(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, names: readonly T[], path: string[] = []): T[] {
  return planOnce(info, `among:${names.join(',')}:${path.join('.')}`, () => {
    const selected = selectedFieldNames(info, path);
    return names.filter((name) => selected.has(name));
  });
}

/**
 * A plan that depends on the request's variables as well as on the selection: worked out once
 * per field nodes and request (the coerced variables are one object per request).
 */
export function planPerRequest<T>(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'variableValues'>, key: string, plan: () => T): T {
  let byRequest = requestPlans.get(info.fieldNodes);
  if (!byRequest) requestPlans.set(info.fieldNodes, (byRequest = new WeakMap()));
  let cached = byRequest.get(info.variableValues);
  if (!cached) byRequest.set(info.variableValues, (cached = new Map()));
  if (!cached.has(key)) cached.set(key, plan());
  return cached.get(key) as T;
}

const requestPlans = new WeakMap<readonly FieldNode[], WeakMap<object, Map<string, unknown>>>();

function planFields(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>, model: ModelName, always: readonly string[], path: string[]): string[] {
  const needs = needsOf.get(model) ?? {};
  const fields = new Set(always);
  for (const name of selectedFieldNames(info, path)) {
    const needed = needs[name] ?? (isScalarField(model, name) ? [name] : []);
    for (const field of needed) fields.add(field);
  }
  return [...fields].sort();
}

/**
 * The `limit` a list selected at `path` below `info`'s field asks for, to read it in its parent's
 * statement: the largest among its aliases (each slices its own; see sliceTo), the list's default
 * where one does not give it, within 1..max (the list's own resolver reports a value out of range).
 */
export function selectedLimit(
  info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments' | 'variableValues'>,
  path: string[],
  field: string,
  defaultSize: number,
  max: number,
): number {
  let largest = 0;
  for (const node of selectedFieldNodes(info, path)) {
    if (node.name.value !== field) continue;
    const value = node.arguments?.find((arg) => arg.name.value === 'limit')?.value;
    const given = value?.kind === Kind.INT ? Number(value.value) : value?.kind === Kind.VARIABLE ? info.variableValues[value.name.value] : null;
    largest = Math.max(largest, typeof given === 'number' ? given : defaultSize);
  }
  return Math.min(Math.max(largest, 1), max);
}

/** A list read with its parent for the largest limit its aliases ask for, cut to this alias' own. */
export function sliceTo<T>(items: T[], limit: number): T[] {
  return items.length > limit ? items.slice(0, limit) : items;
}
