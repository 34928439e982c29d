#!/usr/bin/env node
// Runs `prisma generate` (Prisma Client + the Pothos types) without network access.
//
// The Prisma 7 CLI resolves its native schema engine at start-up and tries to download it
// when none is installed, even for `generate`, which never uses it (the Rust-free client is
// generated from the WASM schema tooling). Where that download cannot happen (offline
// machines, locked-down CI, npm installs that skip dependency install scripts), pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file satisfies the start-up check.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const prismaCli = require.resolve('prisma/build/index.js');

const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;
env.PRISMA_HIDE_UPDATE_MESSAGE ??= '1';
env.CHECKPOINT_DISABLE ??= '1';
// The Pothos generator is a bin of @pothos/plugin-prisma, found on PATH as under `npm run`.
env.PATH = `${join(root, 'node_modules', '.bin')}${delimiter}${env.PATH ?? ''}`;

const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', 'prisma/schema.prisma', ...process.argv.slice(2)], {
  cwd: root,
  env,
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
