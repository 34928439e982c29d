import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * graphql-js (and Pothos' relay plugin, for a negative page size) reports a value that does not fit an argument's type (a malformed DateTime in a
 * variable or a literal, a string where an Int goes) without an error code. Clients branch on
 * `extensions.code`, so such errors get BAD_USER_INPUT; their messages already name the
 * variable or argument and the value.
 */
const INPUT_ERROR = /^(Variable "\$[^"]+" got invalid value|Variable "\$[^"]+" of required type|Expected value of type|Argument "[^"]+" of required type|Argument "[^"]+" must be|Int cannot represent|Float cannot represent|String cannot represent|Boolean cannot represent|ID cannot represent|Enum "[^"]+" cannot represent|Value "[^"]*" does not exist in)/;

function argumentOf(message: string): { argument?: string } {
  const named = /^Argument "([^"]+)"/.exec(message);
  return named ? { argument: named[1] } : {};
}

function withInputCode<E extends Error>(error: E): E | GraphQLError {
  if (!(error instanceof GraphQLError)) return error;
  if (error.extensions?.code && error.extensions.code !== 'GRAPHQL_VALIDATION_FAILED') return error;
  if (!INPUT_ERROR.test(error.message)) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT', ...argumentOf(error.message) },
  });
}

export function useInputErrorCodes(): Plugin {
  return {
    onValidate() {
      return ({ result, setResult }) => {
        if (result.length > 0) setResult(result.map(withInputCode));
      };
    },
    onExecute() {
      return {
        onExecuteDone({ result, setResult }) {
          if ('errors' in result && result.errors?.length) {
            setResult({ ...result, errors: result.errors.map(withInputCode) });
          }
        },
      };
    },
  };
}
