import { lexicographicSortSchema, printSchema } from 'graphql';
import { schema } from './index.js';

/** schema.graphql as the code defines it: sorted, so the file diffs only when the API changes. */
export function printedSchema(): string {
  return `${printSchema(lexicographicSortSchema(schema))}\n`;
}
