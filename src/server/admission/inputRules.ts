import {
  getNamedType,
  getNullableType,
  isInputObjectType,
  isListType,
  Kind,
  typeFromAST,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type ValueNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { operationRule } from './operationRule.js';
import { badUserInput } from '../../errors.js';
import { graphQLErrorOf } from '../errorCodes.js';

/**
 * The rule every text an operation sends obeys, whichever argument, input field or JSON value
 * it fills and whatever carries the operation: no NUL character (U+0000). PostgreSQL can neither
 * store nor compare one (a filter holding it failed as an unexpected error, and failed the
 * statement it was batched into for every other subscriber of a feed page). Refused before
 * anything runs, as BAD_USER_INPUT naming where it is: the argument, or for an input object the
 * field inside it (`summary`, `events[2].title`), as the write errors name them; a JSON value
 * is named as a whole (`executionLog`).
 */
const NUL = '\u0000';

function where(base: string, key: string | number): string {
  return typeof key === 'number' ? `${base}[${key}]` : base ? `${base}.${key}` : key;
}

/** Any string (or object key) holding a NUL, anywhere in a value. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([key, item]) => key.includes(NUL) || holdsNul(item));
  return false;
}

/** Any string literal holding a NUL, anywhere in a literal. */
function literalHoldsNul(value: ValueNode): boolean {
  if (value.kind === Kind.STRING) return value.value.includes(NUL);
  if (value.kind === Kind.LIST) return value.values.some(literalHoldsNul);
  if (value.kind === Kind.OBJECT) return value.fields.some((field) => field.name.value.includes(NUL) || literalHoldsNul(field.value));
  return false;
}

/** The first place in a variable's value holding a NUL, walked along its input type, or null. */
function valueNul(value: unknown, type: GraphQLInputType | undefined, at: string): string | null {
  const bare = type ? getNullableType(type) : undefined;
  if (bare && isListType(bare) && Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = valueNul(item, bare.ofType as GraphQLInputType, where(at, i));
      if (found) return found;
    }
    return null;
  }
  if (bare && isInputObjectType(bare) && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const fields = bare.getFields();
    for (const [key, item] of Object.entries(value)) {
      const found = key.includes(NUL) ? at : valueNul(item, fields[key]?.type, where(at, key));
      if (found) return found;
    }
    return null;
  }
  return holdsNul(value) ? at : null;
}

/** The same, for a literal: `type` is the input type at this point of the document. */
function literalNul(value: ValueNode, type: GraphQLInputType | undefined, at: string): string | null {
  const bare = type ? getNullableType(type) : undefined;
  if (bare && isListType(bare) && value.kind === Kind.LIST) {
    for (const [i, item] of value.values.entries()) {
      const found = literalNul(item, bare.ofType as GraphQLInputType, where(at, i));
      if (found) return found;
    }
    return null;
  }
  if (bare && isInputObjectType(bare) && value.kind === Kind.OBJECT) {
    const fields = bare.getFields();
    for (const field of value.fields) {
      const found = literalNul(field.value, fields[field.name.value]?.type, where(at, field.name.value));
      if (found) return found;
    }
    return null;
  }
  return literalHoldsNul(value) ? at : null;
}

/** What a document's literals hold, and each variable's type and the name its values are reported under. */
interface DocumentFacts {
  literalNul: string | null;
  variables: { name: string; type: GraphQLInputType | undefined; at: string }[];
}

function documentFacts(schema: GraphQLSchema, document: DocumentNode): DocumentFacts {
  const facts: DocumentFacts = { literalNul: null, variables: [] };
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const variable of definition.variableDefinitions ?? []) {
      const type = typeFromAST(schema, variable.type) as GraphQLInputType | undefined;
      // An input object's fields name themselves; any other variable by its name.
      const at = type && isInputObjectType(getNamedType(type)) ? '' : variable.variable.name.value;
      facts.variables.push({ name: variable.variable.name.value, type, at });
    }
  }
  const typeInfo = new TypeInfo(schema);
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Argument(argument) {
        if (facts.literalNul) return;
        const type = typeInfo.getArgument()?.type;
        facts.literalNul = literalNul(argument.value, type, argument.value.kind === Kind.OBJECT ? '' : argument.name.value);
      },
    }),
  );
  return facts;
}

export function useInputRules(): Plugin {
  const known = new WeakMap<DocumentNode, DocumentFacts>();
  const check = (args: { schema: GraphQLSchema; document: DocumentNode; variableValues?: unknown }) => {
    let facts = known.get(args.document);
    if (!facts) known.set(args.document, (facts = documentFacts(args.schema, args.document)));
    let at = facts.literalNul;
    const values = (args.variableValues ?? {}) as Record<string, unknown>;
    for (const variable of facts.variables) {
      if (at) break;
      at = valueNul(values[variable.name], variable.type, variable.at);
    }
    if (!at) return null;
    return { errors: [graphQLErrorOf(badUserInput(`\`${at}\` must not contain NUL characters (U+0000): PostgreSQL cannot store or compare them`, at))] };
  };
  return operationRule(check);
}
