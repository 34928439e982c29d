import type { DocumentNode, ExecutionResult, GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** What a rule sees of an operation about to run: the same for a query, a mutation and a subscription's start. */
export interface OperationArgs {
  schema: GraphQLSchema;
  document: DocumentNode;
  operationName?: string | null;
  variableValues?: unknown;
  contextValue: unknown;
}

/**
 * A rule every operation passes before it runs, whatever carries it (HTTP, SSE, WebSocket):
 * `refuse` answers the result to send instead (its errors), or null to let it run. Subscriptions
 * are checked when they start.
 */
export function operationRule<Context extends Record<string, unknown> = Record<string, unknown>>(refuse: (args: OperationArgs) => ExecutionResult | null): Plugin<Context> {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const refused = refuse(args);
      if (refused) setResultAndStopExecution(refused);
    },
    onSubscribe({ args, setResultAndStopExecution }) {
      const refused = refuse(args);
      if (refused) setResultAndStopExecution(refused);
    },
  };
}
