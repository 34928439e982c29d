import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createGraphQLError, type Plugin } from 'graphql-yoga';
import { ConfigError } from '../../config.js';

export function sha256Hex(document: string): string {
  return createHash('sha256').update(document).digest('hex');
}

/** PERSISTED_OPERATIONS_FILE's operations, and whether they are the only ones served (PERSISTED_OPERATIONS_ONLY). */
export interface PersistedOperations {
  documents: ReadonlyMap<string, string>;
  only: boolean;
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

interface OperationParams {
  query?: string | null;
  extensions?: Record<string, unknown> | null;
}

function persistedHash(extensions: OperationParams['extensions']): string | null {
  const persisted = extensions?.persistedQuery as { version?: unknown; sha256Hash?: unknown } | undefined;
  return persisted && persisted.version === 1 && typeof persisted.sha256Hash === 'string' ? persisted.sha256Hash : null;
}

/**
 * The document an operation runs, for every transport (HTTP's params, a graphql-ws subscribe
 * message's payload): the document it sends, or the listed one its `extensions.persistedQuery`
 * (Apollo's format: `{ version: 1, sha256Hash }`) names. With `only`, a document that is not
 * named by its hash is refused (PERSISTED_QUERY_ONLY) before it is parsed.
 */
export function operationDocument(params: OperationParams, persisted: PersistedOperations | null): string | null {
  const hash = persisted ? persistedHash(params.extensions) : null;
  if (!persisted || (hash === null && !persisted.only)) return params.query ?? null;
  if (hash === null) {
    if (params.query) {
      throw createGraphQLError('Only persisted operations are served here: send extensions.persistedQuery.sha256Hash of a listed operation', {
        extensions: { code: 'PERSISTED_QUERY_ONLY', http: { status: 403 } },
      });
    }
    throw createGraphQLError('Send extensions.persistedQuery { version: 1, sha256Hash }', {
      extensions: { code: 'PERSISTED_QUERY_ID_REQUIRED', http: { status: 400 } },
    });
  }
  const document = persisted.documents.get(hash);
  if (document === undefined) {
    throw createGraphQLError('No persisted operation has this sha256Hash', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND', http: { status: 404 } } });
  }
  return document;
}

/** HTTP's call of operationDocument: the request's params get the document they name. */
export function usePersistedOperationList(persisted: PersistedOperations): Plugin {
  return {
    onParams({ params, setParams }) {
      const query = operationDocument(params, persisted);
      if (query !== params.query) setParams({ ...params, query: query ?? undefined });
    },
  };
}
