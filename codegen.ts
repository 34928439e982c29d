import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Typed operations for the explorer (and any TypeScript frontend): `npm run codegen` reads
 * schema.graphql and the `graphql(...)` documents under src/explorer, and writes
 * src/explorer/gql/: a typed `graphql()` function, the operations' result and variable types,
 * and persisted-documents.json (sha256 → document), the allow-list the gateway serves the
 * explorer's operations from, PERSISTED_OPERATIONS_ONLY included. Documents are strings
 * (no GraphQL parser in the page); each carries its hash, which is what the page sends.
 */
const config: CodegenConfig = {
  schema: 'schema.graphql',
  documents: ['src/explorer/**/*.ts', '!src/explorer/gql/**'],
  ignoreNoDocuments: false,
  generates: {
    'src/explorer/gql/': {
      preset: 'client',
      config: { documentMode: 'string', enumsAsTypes: true, useTypeImports: true, scalars: { DateTime: 'string', JSON: 'unknown', ID: 'string' } },
      presetConfig: { fragmentMasking: false, persistedDocuments: { hashAlgorithm: 'sha256', mode: 'embedHashInDocument' } },
    },
  },
};

export default config;
