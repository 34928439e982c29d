import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { lexicographicSortSchema, printSchema } from 'graphql';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths.js';
import { schema } from '../src/schema/index.js';

describe('schema.graphql', () => {
  it('is what the Pothos schema prints (run `npm run schema:print` after changing the schema)', () => {
    const committed = readFileSync(join(projectRoot, 'schema.graphql'), 'utf8');
    expect(committed).toBe(`${printSchema(lexicographicSortSchema(schema))}\n`);
  });
});
