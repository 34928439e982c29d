import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { MigrationBuilder } from 'node-pg-migrate';
import { migrationsDir } from '../paths.js';

/**
 * A migration file, as the gateway reads it. The Up part may end with a `-- Concurrent Steps`
 * section: index builds and constraint validations on tables an existing Crosshot database
 * may hold millions of rows in. `db migrate` runs the whole Up part in one transaction, as
 * node-pg-migrate always did. `db migrate --concurrently` runs the part before the section in
 * one transaction (only catalog changes: the write-blocking locks it takes last milliseconds),
 * then each step on its own outside it: indexes with CREATE INDEX CONCURRENTLY and validations
 * with VALIDATE CONSTRAINT, both of which let writers through.
 *
 * Each step is one line, one of:
 *   CREATE [UNIQUE] INDEX <name> ON <table> [USING <method>] (<column> [DESC ...], ...) [WHERE <predicate>];
 *   ALTER TABLE <table> VALIDATE CONSTRAINT <name>;
 * so that the catalog checks of the migration can be derived from the steps themselves.
 */
export type ConcurrentStep =
  | { kind: 'index'; name: string; unique: boolean; table: string; columns: string[]; predicate: string | null; sql: string }
  | { kind: 'validate'; table: string; constraint: string; sql: string };

export interface MigrationScript {
  name: string;
  /** The whole Up part: what a plain `db migrate` runs in one transaction. */
  up: string;
  /** The Up part before `-- Concurrent Steps`. */
  transactional: string;
  concurrentSteps: ConcurrentStep[];
  down: string | undefined;
}

const UP = /^\s*--\s*Up Migration\b.*$/im;
const DOWN = /^\s*--\s*Down Migration\b.*$/im;
const CONCURRENT = /^\s*--\s*Concurrent Steps\b.*$/im;
const INDEX_STEP = /^CREATE (UNIQUE )?INDEX (\w+) ON (\w+)(?: USING \w+)? \((.+?)\)(?: WHERE (.+?))?;$/i;
const VALIDATE_STEP = /^ALTER TABLE (\w+) VALIDATE CONSTRAINT (\w+);$/i;

function parseStep(line: string, file: string): ConcurrentStep {
  const index = INDEX_STEP.exec(line);
  if (index) {
    const [, unique, name, table, columns, predicate] = index;
    return {
      kind: 'index',
      name: name!,
      unique: unique !== undefined,
      table: table!,
      columns: columns!.split(',').map((column) => column.trim().split(/\s+/)[0]!),
      predicate: predicate ?? null,
      sql: line,
    };
  }
  const validate = VALIDATE_STEP.exec(line);
  if (validate) return { kind: 'validate', table: validate[1]!, constraint: validate[2]!, sql: line };
  throw new Error(`${file}: a Concurrent Steps line must be one CREATE INDEX or VALIDATE CONSTRAINT statement, not: ${line}`);
}

export function parseMigrationScript(file: string, text: string): MigrationScript {
  const upAt = text.search(UP);
  const downAt = text.search(DOWN);
  const up = text.slice(upAt < 0 ? 0 : upAt, downAt < 0 ? undefined : downAt);
  const concurrentAt = up.search(CONCURRENT);
  const section = concurrentAt < 0 ? '' : up.slice(concurrentAt).replace(CONCURRENT, '');
  const concurrentSteps = section
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('--'))
    .map((line) => parseStep(line, file));
  return {
    name: basename(file, '.sql'),
    up,
    transactional: concurrentAt < 0 ? up : up.slice(0, concurrentAt),
    concurrentSteps,
    down: downAt < 0 ? undefined : text.slice(downAt),
  };
}

export function readMigrationScript(name: string): MigrationScript {
  const file = `${name}.sql`;
  return parseMigrationScript(file, readFileSync(join(migrationsDir, file), 'utf8'));
}

/** The statement that builds a step without blocking writers (idempotent, so a rerun can repeat it). */
export function concurrentSql(step: ConcurrentStep): string {
  return step.kind === 'index' ? step.sql.replace(/^CREATE (UNIQUE )?INDEX /i, 'CREATE $1INDEX CONCURRENTLY IF NOT EXISTS ') : step.sql;
}

/**
 * node-pg-migrate's loader for our .sql files. Plain: the Up part as one statement list in the
 * migration's transaction. Concurrent: outside a transaction, the transactional part as one
 * multi-statement query (which PostgreSQL runs as one implicit transaction), then each step.
 */
export function sqlMigrationLoader(concurrently: boolean) {
  return async (filePaths: string[]) =>
    filePaths.map((filePath) => {
      const script = parseMigrationScript(filePath, readFileSync(filePath, 'utf8'));
      const splits = concurrently && script.concurrentSteps.length > 0;
      return {
        id: filePath,
        filePaths: [filePath],
        actions: {
          up: (pgm: MigrationBuilder) => {
            if (!splits) {
              pgm.sql(script.up);
              return;
            }
            pgm.noTransaction();
            pgm.sql(script.transactional);
            for (const step of script.concurrentSteps) pgm.sql(concurrentSql(step));
          },
          down: script.down === undefined ? (false as const) : (pgm: MigrationBuilder) => pgm.sql(script.down!),
        },
      };
    });
}
