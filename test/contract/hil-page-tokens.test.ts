import {
  CreateDatastoreCommand,
  ListDatastoresCommand,
  ListDICOMImportJobsCommand,
  ListImageSetVersionsCommand,
  SearchImageSetsCommand,
  UpdateImageSetMetadataCommand,
} from '@aws-sdk/client-medical-imaging';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { createActiveDatastore, importSyntheticStudy } from '../support/hil-wait';
import { present } from '../support/present';

/** Tokens a client could build from the old plain base64url-JSON form, each of which was accepted. */
const FORGED = [
  { s: 'ListDatastores', p: null },
  { s: 'ListDatastores', p: 'x' },
  { s: 'ListDatastores', p: [1, 2, 3] },
  { s: 'ListDatastores', p: JSON.parse('{"__proto__":{"x":1}}') as unknown },
  { s: 'ListDatastores', p: 1e300 },
].map((t) => Buffer.from(JSON.stringify(t)).toString('base64url'));

describe('HealthImaging Local page tokens', () => {
  let t: TestHil;
  let datastoreId: string;
  let imageSetId: string;

  beforeAll(async () => {
    t = await startTestHil();
    const client = t.client();
    datastoreId = await createActiveDatastore(client, 'one');
    await createActiveDatastore(client, 'two');
    imageSetId = present(
      (await importSyntheticStudy(client, t.s3Dir, datastoreId, smallCtStudy)).imageSetIds[0],
      'an imported image set',
    );
    await importSyntheticStudy(client, t.s3Dir, datastoreId, {
      ...smallCtStudy,
      seed: 'second',
      accessionNumber: 'TOKEN2',
    });
    const doc = new TextEncoder().encode(
      JSON.stringify({ SchemaVersion: 1.1, Study: { DICOM: { StudyDescription: 'v2' } } }),
    );
    await client.send(
      new UpdateImageSetMetadataCommand({
        datastoreId,
        imageSetId,
        latestVersionId: '1',
        updateImageSetMetadataUpdates: { DICOMUpdates: { updatableAttributes: doc } },
      }),
    );
    t.hil.admin.flushWrites();
  });
  afterAll(async () => t.close());

  it('refuses forged tokens on every paginated operation with ValidationException', async () => {
    const client = t.client();
    for (const nextToken of [...FORGED, 'not-a-token', 'a.b']) {
      await expectServiceError(() => client.send(new ListDatastoresCommand({ nextToken })), 'ValidationException', 400);
      await expectServiceError(
        () => client.send(new ListDICOMImportJobsCommand({ datastoreId, nextToken })),
        'ValidationException',
        400,
      );
      await expectServiceError(
        () => client.send(new SearchImageSetsCommand({ datastoreId, nextToken })),
        'ValidationException',
        400,
      );
      await expectServiceError(
        () => client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId, nextToken })),
        'ValidationException',
        400,
      );
    }
  });

  it('pages with the tokens it issued, and refuses them for other parameters or operations', async () => {
    const client = t.client();
    const stores = await client.send(new ListDatastoresCommand({ maxResults: 1 }));
    expect(stores.nextToken).toEqual(expect.any(String));
    expect(
      (await client.send(new ListDatastoresCommand({ maxResults: 1, nextToken: stores.nextToken }))).datastoreSummaries,
    ).toHaveLength(1);
    await expectServiceError(
      () => client.send(new ListDatastoresCommand({ datastoreStatus: 'ACTIVE', nextToken: stores.nextToken })),
      'ValidationException',
      400,
    );

    const jobs = await client.send(new ListDICOMImportJobsCommand({ datastoreId, maxResults: 1 }));
    expect(jobs.nextToken).toEqual(expect.any(String));
    expect(
      (await client.send(new ListDICOMImportJobsCommand({ datastoreId, nextToken: jobs.nextToken }))).jobSummaries,
    ).toHaveLength(1);
    await expectServiceError(
      () =>
        client.send(new ListDICOMImportJobsCommand({ datastoreId, jobStatus: 'COMPLETED', nextToken: jobs.nextToken })),
      'ValidationException',
      400,
    );
    await expectServiceError(
      () => client.send(new SearchImageSetsCommand({ datastoreId, nextToken: jobs.nextToken })),
      'ValidationException',
      400,
    );

    const versions = await client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId, maxResults: 1 }));
    expect(versions.nextToken).toEqual(expect.any(String));
    const rest = await client.send(
      new ListImageSetVersionsCommand({ datastoreId, imageSetId, nextToken: versions.nextToken }),
    );
    expect(rest.imageSetPropertiesList?.map((v) => v.versionId)).toEqual(['1']);
  });

  it('keeps tokens valid across a restart on the same data folder, and only there', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hil-tokens-'));
    const otherDir = mkdtempSync(join(tmpdir(), 'hil-tokens-'));
    try {
      let hil = await startTestHil({ dataDir });
      for (const name of ['a', 'b']) await hil.client().send(new CreateDatastoreCommand({ datastoreName: name }));
      const { nextToken } = await hil.client().send(new ListDatastoresCommand({ maxResults: 1 }));
      await hil.close();
      hil = await startTestHil({ dataDir });
      expect(
        (await hil.client().send(new ListDatastoresCommand({ maxResults: 1, nextToken }))).datastoreSummaries,
      ).toHaveLength(1);
      await hil.close();
      hil = await startTestHil({ dataDir: otherDir });
      await expectServiceError(
        () => hil.client().send(new ListDatastoresCommand({ nextToken })),
        'ValidationException',
        400,
      );
      await hil.close();
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(otherDir, { recursive: true, force: true });
    }
  });
});
