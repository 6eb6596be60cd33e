import 'reflect-metadata';
import { execute, parse, type GraphQLSchema } from 'graphql';
import { ForbiddenError, UnauthenticatedError } from '../../../src/errors/gateway-errors';
import { PhiAccess } from '../../../src/phi/phi-access';
import { buildGatewaySchema } from '../../../src/schema';
import { DicomSeries } from '../../../src/types/dicom-series.type';
import { ImageSet } from '../../../src/types/image-set.type';

const ds = 'a'.repeat(32);
const set = 'b'.repeat(32);

/**
 * The thin resolvers installed over type-graphql's (src/resolvers/precomputed-resolvers.ts):
 * same parameters, same auth checks, but no promise where nothing waits.
 */
describe('precomputed resolvers', () => {
  let schema: GraphQLSchema;
  beforeAll(async () => {
    schema = await buildGatewaySchema();
  });

  const field = (type: string, name: string) => {
    const resolve = (schema.getType(type) as { getFields(): Record<string, { resolve?: unknown }> }).getFields()[name]
      ?.resolve as ((...args: unknown[]) => unknown) | undefined;
    if (!resolve) throw new Error(`${type}.${name} has no resolver`);
    return resolve;
  };

  it('answers a known fact without a promise', () => {
    const root = ImageSet.withFacts(ds, set, { state: 'LOCKED', latestVersionId: '3' });
    expect(field('ImageSet', 'state')(root, {}, {}, {})).toBe('LOCKED');
    expect(field('ImageSet', 'latestVersionId')(root, {}, {}, {})).toBe('3');
  });

  it('reads getters of the DICOM types without a promise, and plain fields with the default resolver', () => {
    const series = new DicomSeries(
      { datastoreId: ds, imageSetId: set, versionId: '1' },
      '1.2.3',
      { DICOM: { Modality: 'CT' }, Instances: { '1.2.3.4': { DICOM: {} } } },
      PhiAccess.forScopes(['imagesets:read']),
    );
    expect(field('DicomSeries', 'instanceCount')(series, {}, {}, {})).toBe(1);
    expect(field('DicomSeries', 'modality')(series, {}, {}, {})).toBe('CT');
    const fields = (schema.getType('ImageSet') as { getFields(): Record<string, { resolve?: unknown }> }).getFields();
    expect(fields.imageSetId?.resolve).toBeUndefined();
  });

  it('keeps every @Authorized check: no caller, or a caller without the scope, is refused before the resolver runs', () => {
    const root = ImageSet.withFacts(ds, set, { latestVersionId: '1' });
    expect(() => field('ImageSet', 'versions')(root, { first: 5 }, {}, {})).toThrow(UnauthenticatedError);
    const writer = { principal: { tenantId: 't', subject: 's', scopes: ['imagesets:write'], method: 'api-key' } };
    expect(() => field('ImageSet', 'latestVersion')(root, {}, writer, {})).toThrow(ForbiddenError);
    expect(() => field('Query', 'imageSet')(undefined, { datastoreId: ds, imageSetId: set }, writer, {})).toThrow(
      ForbiddenError,
    );
  });

  it('answers through graphql-js as before: errors keep their codes', async () => {
    const result = await execute({
      schema,
      document: parse(`{ imageSet(datastoreId: "${ds}", imageSetId: "${set}") { state } }`),
      contextValue: {},
    });
    expect(result.errors?.map((error) => error.originalError?.constructor)).toEqual([UnauthenticatedError]);
  });
});
