import { CopyImageSetCommand, UpdateImageSetMetadataCommand } from '@aws-sdk/client-medical-imaging';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { signedRequest } from '../support/hil-signed-request';
import { createActiveDatastore, importSyntheticStudy } from '../support/hil-wait';
import { present } from '../support/present';

/**
 * Deep nesting within the size limits once ended in a RangeError and a 500; every JSON document
 * the server reads now answers 400 ValidationException past the depth limit.
 */
const deepArray = (depth: number): string => '['.repeat(depth) + ']'.repeat(depth);

describe('HealthImaging Local JSON depth limits', () => {
  let t: TestHil;
  let datastoreId: string;
  let imageSetId: string;

  beforeAll(async () => {
    t = await startTestHil();
    datastoreId = await createActiveDatastore(t.client());
    imageSetId = present(
      (await importSyntheticStudy(t.client(), t.s3Dir, datastoreId, smallCtStudy)).imageSetIds[0],
      'an imported image set',
    );
  });
  afterAll(async () => t.close());

  it.each([
    ['SearchImageSets', () => `/datastore/${datastoreId}/searchImageSets`],
    ['CreateDatastore', () => '/datastore'],
    ['GetImageFrame', () => `/datastore/${datastoreId}/imageSet/${imageSetId}/getImageFrame`],
  ])('answers 400 ValidationException to a %s body with an unknown member 5,000 arrays deep', async (_op, path) => {
    const res = await signedRequest({
      url: t.url,
      method: 'POST',
      path: path(),
      body: `{"unknown":${deepArray(5000)}}`,
      credentials: t.credentials,
    });
    expect(res.status).toBe(400);
    expect(res.headers['x-amzn-errortype']).toBe('ValidationException');
    expect(String(res.json().message)).toContain('deeper than');
  });

  it('answers 400 ValidationException to an update document nested 5,000 deep within the 10 KB quota', async () => {
    const doc = `{"SchemaVersion":1.1,"Study":{"DICOM":{"StudyDescription":${deepArray(5000)}}}}`;
    expect(doc.length).toBeLessThan(10 * 1024);
    const err = await expectServiceError(
      () =>
        t.client().send(
          new UpdateImageSetMetadataCommand({
            datastoreId,
            imageSetId,
            latestVersionId: '1',
            updateImageSetMetadataUpdates: { DICOMUpdates: { updatableAttributes: new TextEncoder().encode(doc) } },
          }),
        ),
      'ValidationException',
      400,
    );
    expect(err.message).toBe('updatableAttributes nests objects and arrays deeper than 64 levels');
  });

  it('answers 400 ValidationException to copiableAttributes nested 5,000 deep', async () => {
    await expectServiceError(
      () =>
        t.client().send(
          new CopyImageSetCommand({
            datastoreId,
            sourceImageSetId: imageSetId,
            copyImageSetInformation: {
              sourceImageSet: {
                latestVersionId: '1',
                DICOMCopies: { copiableAttributes: `{"Study":${deepArray(5000)}}` },
              },
            },
          }),
        ),
      'ValidationException',
      400,
    );
  });
});
