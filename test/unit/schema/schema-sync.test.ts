import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isIntrospectionType,
  isObjectType,
  isSpecifiedScalarType,
  type GraphQLSchema,
} from 'graphql';
import { buildGatewaySchema, printGatewaySchema } from '../../../src/schema';

const SCHEMA_FILE = join(__dirname, '..', '..', '..', 'schema.graphql');

/** Every schema element without a description, as `Type`, `Type.field`, `Type.field(arg)` or `Enum.VALUE`. */
function undocumented(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  const lacks = (description: string | null | undefined): boolean => !description || description.trim() === '';
  for (const type of Object.values(schema.getTypeMap())) {
    if (isIntrospectionType(type) || isSpecifiedScalarType(type)) continue;
    if (lacks(type.description)) missing.push(type.name);
    if (isObjectType(type) || isInterfaceType(type)) {
      for (const field of Object.values(type.getFields())) {
        if (lacks(field.description)) missing.push(`${type.name}.${field.name}`);
        for (const arg of field.args)
          if (lacks(arg.description)) missing.push(`${type.name}.${field.name}(${arg.name})`);
      }
    } else if (isInputObjectType(type)) {
      for (const field of Object.values(type.getFields()))
        if (lacks(field.description)) missing.push(`${type.name}.${field.name}`);
    } else if (isEnumType(type)) {
      for (const value of type.getValues()) if (lacks(value.description)) missing.push(`${type.name}.${value.name}`);
    }
  }
  return missing;
}

describe('schema.graphql', () => {
  it('matches the schema the code builds (run `npm run emit-schema` after changing types or resolvers)', async () => {
    const checkedIn = readFileSync(SCHEMA_FILE, 'utf8');
    const fromCode = await printGatewaySchema();
    if (checkedIn !== fromCode) {
      throw new Error('schema.graphql is out of date with src/: run `npm run emit-schema` and commit the result.');
    }
  });
});

describe('buildGatewaySchema', () => {
  it('gives every type, field, argument and enum value a description', async () => {
    expect(undocumented(await buildGatewaySchema())).toEqual([]);
  });

  it('offers forward pagination only, with first and after on every connection field', async () => {
    const schema = await buildGatewaySchema();
    const connectionFields = Object.values(schema.getTypeMap())
      .filter(isObjectType)
      .filter((type) => !isIntrospectionType(type))
      .flatMap((type) => Object.values(type.getFields()))
      .filter((field) => /Connection!?$/.test(String(field.type)));
    expect(connectionFields.length).toBeGreaterThanOrEqual(4);
    for (const field of connectionFields) {
      const names = field.args.map((arg) => arg.name);
      expect(names).toEqual(expect.arrayContaining(['first', 'after']));
      expect(names).not.toContain('last');
      expect(names).not.toContain('before');
    }
  });
});
