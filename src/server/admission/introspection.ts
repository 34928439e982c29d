import { NoSchemaIntrospectionCustomRule } from 'graphql';
import type { Plugin } from 'graphql-yoga';

/**
 * INTROSPECTION=false (the default in production): `__schema` and `__type` are refused at
 * validation, on every transport. (yoga's own plugin decides per HTTP request, so a WebSocket
 * operation, which has none, was answered.)
 */
export function useIntrospectionPolicy(enabled: boolean): Plugin {
  if (enabled) return {};
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(NoSchemaIntrospectionCustomRule);
    },
  };
}
