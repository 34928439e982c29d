#!/usr/bin/env node
// A Prisma generator that writes the parts of the DMMF the generated client drops (database
// names, native types, nullability, relations with their FK names) to a JSON manifest, so
// test/prisma-schema.test.ts can compare schema.prisma with the migrated catalog.
const { writeFileSync, mkdirSync } = require('node:fs');
const { dirname } = require('node:path');
const { generatorHandler } = require('@prisma/generator-helper');

generatorHandler({
  onManifest: () => ({ prettyName: 'Catalog manifest', defaultOutput: './catalog-manifest.json' }),
  onGenerate: async ({ dmmf, generator }) => {
    const models = dmmf.datamodel.models.map((model) => ({
      name: model.name,
      table: model.dbName ?? model.name,
      fields: model.fields.map((field) => ({
        name: field.name,
        column: field.dbName ?? field.name,
        kind: field.kind,
        type: field.type,
        nativeType: field.nativeType ?? null,
        isRequired: field.isRequired,
        isList: field.isList,
        relationFromFields: field.relationFromFields ?? [],
        relationToFields: field.relationToFields ?? [],
        relationOnDelete: field.relationOnDelete ?? null,
        relationName: field.relationName ?? null,
      })),
      primaryKey: model.primaryKey?.fields ?? model.fields.filter((f) => f.isId).map((f) => f.name),
    }));
    const output = generator.output.value;
    mkdirSync(dirname(output), { recursive: true });
    writeFileSync(output, `${JSON.stringify({ models }, null, 2)}\n`);
  },
});
