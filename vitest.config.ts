import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // graphql 16 has no "exports" map: Node loads it as CommonJS for the dependencies vitest
    // leaves to Node, while vite would give our own files its .mjs build, and two copies of
    // graphql reject each other's types. One copy: the CommonJS one everywhere.
    alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/globalSetup.ts'],
    // Each file works in its own database cloned from the migrated template, so files can run
    // side by side; two workers match the machines this runs on.
    pool: 'forks',
    maxWorkers: 2,
    // A worker imports the gateway once for all the files it runs (the files share no state but
    // modules: each makes its own gateway, pool and database), which halves the suite's time.
    isolate: false,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    env: { NODE_ENV: 'test', LOG_LEVEL: 'silent' },
  },
});
