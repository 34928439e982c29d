import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { migrationsDir } from '../paths.js';

/**
 * A migration file, as the gateway reads it. The Up part may end with a `-- Finishing Steps`
 * section: statements that can run one by one, each with a catalog check derived from it.
 * They are what differs between a migration run here and the same objects found in place:
 * indexes (index builds on tables an existing Crosshot database may hold millions of rows in),
 * constraint validations, and the extensions and exclusion constraint that SQLAlchemy's
 * `create_all` does not make.
 *
 * `db migrate` runs the whole Up part in one transaction, as node-pg-migrate always did.
 * `db migrate --concurrently` runs the part before the section in one transaction (only
 * catalog changes: the write-blocking locks it takes last milliseconds), then each step on its
 * own outside it: indexes with CREATE INDEX CONCURRENTLY and validations with VALIDATE
 * CONSTRAINT, both of which let writers through. Adoption runs the steps whose check fails on a
 * migration whose other objects are in place.
 *
 * Each step is one line, one of:
 *   CREATE [UNIQUE] INDEX <name> ON <table> [USING <method>] (<column> [DESC ...], ...) [INCLUDE (...)] [WHERE <predicate>];
 *   ALTER TABLE <table> VALIDATE CONSTRAINT <name>;
 *   CREATE EXTENSION IF NOT EXISTS <name>;
 *   ALTER TABLE <table> ADD CONSTRAINT <name> EXCLUDE USING <method> (...) [WHERE (...)];
 *
 * Column defaults are read from the CREATE TABLE statements and ALTER TABLE ... ADD COLUMN
 * lines (one column a line): adoption
 * gives a column found without its default (SQLAlchemy keeps defaults in Python) the default
 * the migration would have given it, a change of metadata only.
 */
export type FinishingStep =
  | { kind: 'index'; name: string; unique: boolean; table: string; columns: string[]; predicate: string | null; sql: string }
  | { kind: 'validate'; table: string; constraint: string; sql: string }
  | { kind: 'extension'; name: string; sql: string }
  | { kind: 'exclusion'; table: string; constraint: string; sql: string }
  | { kind: 'default'; table: string; column: string; sql: string };

export interface MigrationScript {
  name: string;
  /** The whole Up part: what a plain `db migrate` runs in one transaction. */
  up: string;
  /** The Up part before `-- Finishing Steps`. */
  transactional: string;
  finishingSteps: FinishingStep[];
  /** SET DEFAULT steps for the columns the file's CREATE TABLE statements give a default. */
  columnDefaults: Extract<FinishingStep, { kind: 'default' }>[];
  down: string | undefined;
}

const UP = /^\s*--\s*Up Migration\b.*$/im;
const DOWN = /^\s*--\s*Down Migration\b.*$/im;
const CONCURRENT = /^\s*--\s*Finishing Steps\b.*$/im;
const INDEX_STEP = /^CREATE (UNIQUE )?INDEX (\w+) ON (\w+)(?: USING \w+)? \((.+?)\)(?: INCLUDE \(.+?\))?(?: WHERE (.+?))?;$/i;
const VALIDATE_STEP = /^ALTER TABLE (\w+) VALIDATE CONSTRAINT (\w+);$/i;
const EXTENSION_STEP = /^CREATE EXTENSION IF NOT EXISTS (\w+);$/i;
const EXCLUSION_STEP = /^ALTER TABLE (\w+) ADD CONSTRAINT (\w+) EXCLUDE .+;$/i;
const CREATE_TABLE = /^CREATE TABLE (\w+) \(\n([\s\S]*?)\n\);$/gm;
const ALTER_TABLE = /^ALTER TABLE (\w+)\n([\s\S]*?);$/gm;
// `name type ... DEFAULT <expression>` up to the next column keyword or the line's end.
const COLUMN_DEFAULT = /^\s+(?:ADD COLUMN )?(\w+)\s+.*?\bDEFAULT\s+(.+?)(?:\s+(?:NOT NULL|NULL|REFERENCES|CHECK|CONSTRAINT|PRIMARY KEY|UNIQUE|COMPRESSION)\b.*?)?,?$/;

function parseStep(line: string, file: string): FinishingStep {
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
  const extension = EXTENSION_STEP.exec(line);
  if (extension) return { kind: 'extension', name: extension[1]!, sql: line };
  const exclusion = EXCLUSION_STEP.exec(line);
  if (exclusion) return { kind: 'exclusion', table: exclusion[1]!, constraint: exclusion[2]!, sql: line };
  throw new Error(
    `${file}: a Finishing Steps line must be one CREATE INDEX, VALIDATE CONSTRAINT, CREATE EXTENSION IF NOT EXISTS or ADD CONSTRAINT ... EXCLUDE statement, not: ${line}`,
  );
}

function columnDefaults(up: string): Extract<FinishingStep, { kind: 'default' }>[] {
  const steps: Extract<FinishingStep, { kind: 'default' }>[] = [];
  for (const [, table, body] of [...up.matchAll(CREATE_TABLE), ...up.matchAll(ALTER_TABLE)]) {
    for (const line of body!.split('\n')) {
      const match = COLUMN_DEFAULT.exec(line);
      if (!match) continue;
      const [, column, expression] = match;
      steps.push({ kind: 'default', table: table!, column: column!, sql: `ALTER TABLE ${table} ALTER COLUMN ${column} SET DEFAULT ${expression};` });
    }
  }
  return steps;
}

export function parseMigrationScript(file: string, text: string): MigrationScript {
  const upAt = text.search(UP);
  const downAt = text.search(DOWN);
  const up = text.slice(upAt < 0 ? 0 : upAt, downAt < 0 ? undefined : downAt);
  const concurrentAt = up.search(CONCURRENT);
  const section = concurrentAt < 0 ? '' : up.slice(concurrentAt).replace(CONCURRENT, '');
  const finishingSteps = section
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('--'))
    .map((line) => parseStep(line, file));
  return {
    name: basename(file, '.sql'),
    up,
    transactional: concurrentAt < 0 ? up : up.slice(0, concurrentAt),
    finishingSteps,
    columnDefaults: columnDefaults(up),
    down: downAt < 0 ? undefined : text.slice(downAt),
  };
}

export function readMigrationScript(name: string): MigrationScript {
  const file = `${name}.sql`;
  return parseMigrationScript(file, readFileSync(join(migrationsDir, file), 'utf8'));
}

/** The statement that builds a step without blocking writers (idempotent, so a rerun can repeat it). */
export function concurrentSql(step: FinishingStep): string {
  return step.kind === 'index' ? step.sql.replace(/^CREATE (UNIQUE )?INDEX /i, 'CREATE $1INDEX CONCURRENTLY IF NOT EXISTS ') : step.sql;
}
