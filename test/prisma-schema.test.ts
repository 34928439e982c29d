import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { projectRoot } from '../src/paths.js';
import { createTestDatabase } from './helpers/database.js';

interface ManifestField {
  name: string;
  column: string;
  kind: string;
  type: string;
  nativeType: [string, string[]] | null;
  isRequired: boolean;
  isList: boolean;
  relationFromFields: string[];
  relationToFields: string[];
  relationOnDelete: string | null;
}
interface ManifestModel {
  name: string;
  table: string;
  fields: ManifestField[];
}

// Written by prisma/generators/catalog-manifest.cjs on every `prisma generate`.
const manifest = JSON.parse(readFileSync(join(projectRoot, 'src/generated/catalog-manifest.json'), 'utf8')) as { models: ManifestModel[] };

/** The PostgreSQL type a Prisma scalar field maps to, as information_schema names it. */
function expectedColumnType(field: ManifestField): string {
  const native = field.nativeType?.[0];
  const length = field.nativeType?.[1]?.[0];
  const base = (() => {
    switch (field.type) {
      case 'String':
        return native === 'Uuid' ? 'uuid' : native === 'VarChar' ? `varchar(${length})` : 'text';
      case 'Int':
        return native === 'SmallInt' ? 'int2' : 'int4';
      case 'BigInt':
        return 'int8';
      case 'Float':
        return 'float8';
      case 'Boolean':
        return 'bool';
      case 'Json':
        return 'jsonb';
      case 'DateTime':
        return native === 'Timestamptz' ? 'timestamptz' : 'timestamp';
      default:
        return `unmapped ${field.type}`;
    }
  })();
  return field.isList ? `${base}[]` : base;
}

const ON_DELETE: Record<string, string> = { Cascade: 'c', SetNull: 'n', NoAction: 'a', Restrict: 'r' };

describe('prisma/schema.prisma matches the migrated catalog', async () => {
  const db = await createTestDatabase();
  const { rows: columns } = await db.pool.query<{ table: string; column: string; type: string; nullable: boolean }>(`
    SELECT c.table_name AS table, c.column_name AS column,
           CASE WHEN c.data_type = 'ARRAY' THEN substr(c.udt_name, 2) || '[]'
                WHEN c.udt_name = 'varchar' THEN 'varchar(' || c.character_maximum_length || ')'
                ELSE c.udt_name END AS type,
           c.is_nullable = 'YES' AS nullable
    FROM information_schema.columns c
    JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
    WHERE c.table_schema = 'public' AND c.table_name NOT IN ('pgmigrations', 'pgmigrations_adopted')
      -- A partition is its parent's storage (the change feed's, migration 0011): the parent is the model.
      AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = format('%I.%I', c.table_schema, c.table_name)::regclass)`);
  const catalog = new Map(columns.map((c) => [`${c.table}.${c.column}`, c]));

  it('models every table, and only tables that exist', () => {
    const tables = [...new Set(columns.map((c) => c.table))].sort();
    expect(manifest.models.map((m) => m.table).sort()).toEqual(tables);
  });

  it('has a field for every column with the same type and nullability, and no field without a column', () => {
    const modelled = manifest.models.flatMap((model) =>
      model.fields
        .filter((f) => f.kind === 'scalar')
        .map((f) => ({ key: `${model.table}.${f.column}`, type: expectedColumnType(f), nullable: !f.isRequired })),
    );
    const actual = modelled.map((m) => {
      const column = catalog.get(m.key);
      return { key: m.key, type: column?.type ?? 'missing column', nullable: column?.nullable ?? null };
    });
    expect(actual).toEqual(modelled);
    // The DMMF leaves out Unsupported("...") fields: the change feed's xid8 columns are declared so.
    const representable = [...catalog.values()].filter((c) => c.type !== 'xid8').map((c) => `${c.table}.${c.column}`);
    expect(modelled.map((m) => m.key).sort()).toEqual(representable.sort());
    expect(readFileSync(join(projectRoot, 'prisma/schema.prisma'), 'utf8').match(/Unsupported\("xid8"\)/g)).toHaveLength(
      columns.filter((c) => c.type === 'xid8').length,
    );
  });

  it('has a foreign key behind every relation, with the same columns and ON DELETE', async () => {
    const { rows: fks } = await db.pool.query<{ table: string; columns: string[]; target: string; on_delete: string }>(`
      SELECT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS target, c.confdeltype::text AS on_delete,
             array(SELECT a.attname::text FROM unnest(c.conkey) WITH ORDINALITY k(n, o)
                   JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.n ORDER BY k.o) AS columns
      FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = 'public'::regnamespace`);
    const tableOf = new Map(manifest.models.map((m) => [m.name, m]));
    const relations = manifest.models.flatMap((model) =>
      model.fields
        .filter((f) => f.kind === 'object' && f.relationFromFields.length > 0)
        .map((f) => ({
          table: model.table,
          columns: f.relationFromFields.map((name) => model.fields.find((x) => x.name === name)!.column),
          target: tableOf.get(f.type)!.table,
          on_delete: ON_DELETE[f.relationOnDelete ?? 'NoAction'],
        })),
    );
    for (const relation of relations) {
      expect(fks).toContainEqual(relation);
    }
    expect(relations.length).toBe(fks.length);
  });
});
