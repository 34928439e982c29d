#!/usr/bin/env node
// Builds the timeline explorer (src/explorer) into dist/explorer: one minified ES module and
// one stylesheet (esbuild), the page, and each also gzip- and brotli-compressed, which the
// gateway serves to browsers that accept them. Runs in `npm install` (postinstall) and
// `npm run build`; `--watch` rebuilds on change.
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import * as esbuild from 'esbuild';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'explorer');
const out = join(root, 'dist', 'explorer');
mkdirSync(out, { recursive: true });

function compress() {
  copyFileSync(join(source, 'index.html'), join(out, 'index.html'));
  // The operations the gateway serves for the page (npm run codegen writes them).
  copyFileSync(join(source, 'gql', 'persisted-documents.json'), join(out, 'persisted-documents.json'));
  for (const name of ['index.html', 'explorer.js', 'explorer.css']) {
    const body = readFileSync(join(out, name));
    writeFileSync(join(out, `${name}.gz`), gzipSync(body, { level: 9 }));
    writeFileSync(join(out, `${name}.br`), brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

const options = {
  entryPoints: { explorer: join(source, 'main.ts') },
  outdir: out,
  bundle: true,
  format: 'esm',
  target: ['chrome110', 'firefox110', 'safari16'],
  minify: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  plugins: [{ name: 'compress', setup: (build) => build.onEnd((result) => result.errors.length === 0 && compress()) }],
};

if (process.argv.includes('--watch')) {
  const context = await esbuild.context(options);
  await context.watch();
  console.log('watching src/explorer');
} else {
  await esbuild.build(options);
}
