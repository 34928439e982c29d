import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Plugin } from 'graphql-yoga';
import { projectRoot } from '../paths.js';
import { readPersistedOperations } from './admission/persisted.js';

/**
 * The timeline explorer (src/explorer, built into dist/explorer by `npm install` and `npm run
 * build`), served at /explorer from the gateway itself: same origin as /graphql, no CDN. Its
 * operations (dist/explorer/persisted-documents.json, written by `npm run codegen`) join the
 * persisted-operations allow-list, so it works under PERSISTED_OPERATIONS_ONLY too.
 */

const FILES: Record<string, { file: string; type: string }> = {
  '/explorer': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/explorer/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/explorer/explorer.js': { file: 'explorer.js', type: 'text/javascript; charset=utf-8' },
  '/explorer/explorer.css': { file: 'explorer.css', type: 'text/css; charset=utf-8' },
};

/** The page may talk to its own origin only; nothing inline, nothing from elsewhere, never framed. */
const CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

interface Asset {
  type: string;
  etag: string;
  bodies: { identity: Buffer; gzip?: Buffer; br?: Buffer };
}

export interface Explorer {
  /** The explorer's operations by sha256, for the persisted-operations allow-list. */
  documents: Map<string, string>;
  plugin: Plugin;
}

const folder = () => join(projectRoot, 'dist', 'explorer');

function readAsset(file: string, type: string): Asset | null {
  const path = join(folder(), file);
  if (!existsSync(path)) return null;
  const identity = readFileSync(path);
  const compressed = (suffix: string) => (existsSync(`${path}.${suffix}`) ? readFileSync(`${path}.${suffix}`) : undefined);
  return { type, etag: `"${createHash('sha256').update(identity).digest('base64url').slice(0, 22)}"`, bodies: { identity, gzip: compressed('gz'), br: compressed('br') } };
}

/** The explorer's assets and operations, read once at start; null parts when it was not built. */
export function createExplorer(): Explorer {
  const assets = new Map(Object.entries(FILES).map(([path, { file, type }]) => [path, readAsset(file, type)]));
  const manifest = join(folder(), 'persisted-documents.json');
  const documents = existsSync(manifest) ? readPersistedOperations(manifest) : new Map<string, string>();
  return {
    documents,
    plugin: {
      onRequest({ url, request, endResponse, fetchAPI }) {
        if (!(url.pathname in FILES)) return;
        if (request.method !== 'GET' && request.method !== 'HEAD') {
          endResponse(new fetchAPI.Response('Method not allowed', { status: 405, headers: { allow: 'GET, HEAD' } }));
          return;
        }
        const asset = assets.get(url.pathname);
        if (!asset) {
          endResponse(new fetchAPI.Response('The explorer is not built: run `npm run build:explorer` (npm install and npm run build do it).', { status: 503, headers: { 'content-type': 'text/plain; charset=utf-8' } }));
          return;
        }
        const headers: Record<string, string> = {
          'content-type': asset.type,
          etag: asset.etag,
          // Revalidated on every load (an ETag match costs a 304): a new build is picked up at once.
          'cache-control': 'no-cache',
          vary: 'accept-encoding',
          'x-content-type-options': 'nosniff',
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'referrer-policy': 'no-referrer',
        };
        if (request.headers.get('if-none-match') === asset.etag) {
          endResponse(new fetchAPI.Response(null, { status: 304, headers }));
          return;
        }
        const accepted = request.headers.get('accept-encoding') ?? '';
        const encoding = /\bbr\b/.test(accepted) && asset.bodies.br ? 'br' : /\bgzip\b/.test(accepted) && asset.bodies.gzip ? 'gzip' : null;
        const body = encoding ? asset.bodies[encoding]! : asset.bodies.identity;
        if (encoding) headers['content-encoding'] = encoding;
        endResponse(new fetchAPI.Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers }));
      },
    },
  };
}
