import {
  getOperationAST,
  Kind,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionNode,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { operationRule } from './operationRule.js';
import { refusal, type Caller, type Scope } from '../../auth.js';
import { graphQLErrorOf } from '../errorCodes.js';

/**
 * The scope each root field needs: `extensions.scope` where a field declares it (the mutations,
 * next to their definitions), otherwise read, introspection (`__schema`, `__type`,
 * `__typename`) included: with authentication on, nothing is answered without a token. Checked
 * once per operation, before it runs, so a refused request writes nothing and nested fields cost
 * nothing (a per-field authorization plugin cost a quarter of the nested timeline's throughput).
 */
function requiredScopes(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): { field: string; scope: Scope }[] {
  const root = schema.getRootType(operation.operation);
  if (!root) return [];
  const fields = root.getFields();
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const seen = new Set<string>();
  const needed: { field: string; scope: Scope }[] = [];
  const visit = (selections: readonly SelectionNode[]): void => {
    for (const selection of selections) {
      if (selection.kind === Kind.FIELD) {
        const declared = fields[selection.name.value]?.extensions?.scope as Scope | undefined;
        needed.push({ field: `${root.name}.${selection.name.value}`, scope: declared ?? 'read' });
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet.selections);
      } else if (!seen.has(selection.name.value)) {
        // A root field reached through a fragment spread needs its scope too.
        seen.add(selection.name.value);
        visit(fragments.get(selection.name.value)?.selectionSet.selections ?? []);
      }
    }
  };
  visit(operation.selectionSet.selections);
  return needed;
}

export function useScopes(): Plugin<{ caller: Caller }> {
  const refused = (args: { contextValue: unknown; document: DocumentNode; operationName?: string | null; schema: GraphQLSchema }) => {
    const caller = (args.contextValue as { caller: Caller }).caller;
    if (caller.open) return null;
    const operation = getOperationAST(args.document, args.operationName);
    if (!operation) return null;
    const missing = requiredScopes(args.schema, args.document, operation).find(({ scope }) => !caller.scopes.has(scope));
    return missing ? { errors: [graphQLErrorOf(refusal(caller, missing.field, missing.scope))] } : null;
  };
  // Subscriptions need the read scope, checked when they start.
  return operationRule(refused);
}
