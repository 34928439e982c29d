import { getNamedType, getNullableType, isInterfaceType, isLeafType, isListType, isObjectType, type GraphQLField } from 'graphql';
import { describe, expect, it } from 'vitest';
import { schema } from '../src/schema/index.js';

/** Every field of the schema that returns a list of objects. */
function listFields(): { coordinate: string; field: GraphQLField<unknown, unknown>; connection: boolean }[] {
  const found: { coordinate: string; field: GraphQLField<unknown, unknown>; connection: boolean }[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    const fields = type.getFields();
    for (const field of Object.values(fields)) {
      if (!isListType(getNullableType(field.type)) || isLeafType(getNamedType(field.type))) continue;
      found.push({ coordinate: `${type.name}.${field.name}`, field, connection: field.name === 'edges' && 'pageInfo' in fields });
    }
  }
  return found;
}

describe('every list is bounded before it runs', () => {
  it('has a page size (connections), a bucket count (series), a slicing argument with a default, or a size it cannot exceed', () => {
    const unbounded: string[] = [];
    for (const { coordinate, field, connection } of listFields()) {
      if (connection || field.extensions?.seriesCost) continue;
      const size = field.extensions?.listSize as { slicingArgument?: string; defaultSize?: number; assumedSize?: number } | undefined;
      if (size?.assumedSize !== undefined) continue;
      const argument = size?.slicingArgument ? field.args.find((arg) => arg.name === size.slicingArgument) : undefined;
      // The argument exists, and its schema default is the bound the cost model counts when it is not sent.
      if (argument && argument.defaultValue === size!.defaultSize) continue;
      unbounded.push(coordinate);
    }
    expect(unbounded).toEqual([]);
    // The inventory this was written against: a new list field must declare its bound too.
    expect(listFields().length).toBeGreaterThanOrEqual(30);
  });
});
