import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import type { Plugin } from 'graphql-yoga';
import { ConfigError } from '../config.js';

export function sha256Hex(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

/**
 * The allow-list of PERSISTED_OPERATIONS_FILE: a JSON object mapping the SHA-256 (hex) of each
 * document to the document, as persisted-query manifests are written. Each key is checked
 * against its document, so a list that drifted from its frontend fails at start, not per request.
 */
export function readPersistedOperations(file: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(`PERSISTED_OPERATIONS_FILE ${file} is not a readable JSON file (${(error as Error).message})`);
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new ConfigError(`PERSISTED_OPERATIONS_FILE ${file} must hold a JSON object of sha256 hash → document`);
  }
  const operations = new Map<string, string>();
  for (const [hash, document] of Object.entries(parsed)) {
    if (typeof document !== 'string') throw new ConfigError(`PERSISTED_OPERATIONS_FILE ${file}: the entry ${hash} is not a document string`);
    const actual = sha256Hex(document);
    if (actual !== hash) throw new ConfigError(`PERSISTED_OPERATIONS_FILE ${file}: the entry ${hash} is not the sha256 of its document (that is ${actual})`);
    operations.set(hash, document);
  }
  return operations;
}

/**
 * Persisted operations (yoga's plugin): a client sends `extensions.persistedQuery.sha256Hash`
 * (Apollo's format) instead of the document. With `only`, documents that are not in the list
 * are refused (PERSISTED_QUERY_ONLY) before they are parsed; otherwise both are served.
 */
export function usePersistedOperationList(operations: Map<string, string>, only: boolean): Plugin {
  return usePersistedOperations({
    getPersistedOperation: (hash) => operations.get(hash) ?? null,
    allowArbitraryOperations: !only,
    customErrors: {
      notFound: { message: 'No persisted operation has this sha256Hash', extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 404 } } },
      persistedQueryOnly: {
        message: 'Only persisted operations are served here: send extensions.persistedQuery.sha256Hash of a listed operation',
        extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 403 } },
      },
      keyNotFound: { message: 'Send extensions.persistedQuery { version: 1, sha256Hash }', extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED', http: { status: 400 } } },
    },
  });
}
