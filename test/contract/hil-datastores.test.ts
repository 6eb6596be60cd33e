import {
  CreateDatastoreCommand,
  DeleteDatastoreCommand,
  GetDatastoreCommand,
  ListDatastoresCommand,
  paginateListDatastores,
} from '@aws-sdk/client-medical-imaging';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { createActiveDatastore, importSyntheticStudy, pollUntil } from '../support/hil-wait';

describe('HealthImaging Local data stores', () => {
  let t: TestHil;
  beforeAll(async () => {
    t = await startTestHil({ datastoreDelayMs: 0 });
  });
  afterAll(async () => t.close());

  it('creates a data store CREATING, which then becomes ACTIVE with its properties', async () => {
    const client = t.client();
    const created = await client.send(
      new CreateDatastoreCommand({ datastoreName: 'props-store', losslessStorageFormat: 'JPEG_2000_LOSSLESS' }),
    );
    expect(created.datastoreStatus).toBe('CREATING');
    expect(created.datastoreId).toMatch(/^[0-9a-f]{32}$/);
    const id = created.datastoreId!;
    const props = await pollUntil('ACTIVE', async () => {
      const got = await client.send(new GetDatastoreCommand({ datastoreId: id }));
      return got.datastoreProperties?.datastoreStatus === 'ACTIVE' ? got.datastoreProperties : undefined;
    });
    expect(props).toMatchObject({
      datastoreId: id,
      datastoreName: 'props-store',
      losslessStorageFormat: 'JPEG_2000_LOSSLESS',
      datastoreArn: `arn:aws:medical-imaging:us-east-1:123456789012:datastore/${id}`,
    });
    expect(props.createdAt).toBeInstanceOf(Date);
    expect(props.updatedAt!.getTime()).toBeGreaterThanOrEqual(props.createdAt!.getTime());
  });

  it('puts the signing region of the caller into ARNs', async () => {
    const client = t.client({ region: 'eu-west-1' });
    const id = await createActiveDatastore(client, 'eu-store');
    const got = await client.send(new GetDatastoreCommand({ datastoreId: id }));
    expect(got.datastoreProperties?.datastoreArn).toBe(
      `arn:aws:medical-imaging:eu-west-1:123456789012:datastore/${id}`,
    );
  });

  it('returns the first result again for a repeated clientToken and rejects its reuse with another request', async () => {
    const client = t.client();
    const first = await client.send(new CreateDatastoreCommand({ datastoreName: 'idem', clientToken: 'token-1' }));
    const again = await client.send(new CreateDatastoreCommand({ datastoreName: 'idem', clientToken: 'token-1' }));
    expect(again.datastoreId).toBe(first.datastoreId);
    await expectServiceError(
      () => client.send(new CreateDatastoreCommand({ datastoreName: 'other', clientToken: 'token-1' })),
      'ConflictException',
      409,
    );
  });

  it('pages through data stores with the SDK paginator and filters by status', async () => {
    const client = t.client();
    for (let i = 0; i < 5; i++) await createActiveDatastore(client, `page-${i}`);
    const seen: string[] = [];
    let pages = 0;
    for await (const page of paginateListDatastores({ client, pageSize: 2 }, {})) {
      pages += 1;
      expect(page.datastoreSummaries!.length).toBeLessThanOrEqual(2);
      for (const s of page.datastoreSummaries!) seen.push(s.datastoreId!);
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(pages).toBe(Math.ceil(seen.length / 2));
    const creating = await client.send(new ListDatastoresCommand({ datastoreStatus: 'CREATING' }));
    expect(creating.datastoreSummaries ?? []).toEqual([]);
  });

  it('deletes an empty data store DELETING then DELETED, and a second delete is idempotent while DELETING', async () => {
    const client = t.client();
    const id = await createActiveDatastore(client, 'to-delete');
    const deleted = await client.send(new DeleteDatastoreCommand({ datastoreId: id }));
    expect(deleted).toMatchObject({ datastoreId: id, datastoreStatus: 'DELETING' });
    await pollUntil('DELETED', async () => {
      const got = await client.send(new GetDatastoreCommand({ datastoreId: id }));
      return got.datastoreProperties?.datastoreStatus === 'DELETED' ? true : undefined;
    });
    await expectServiceError(
      () => client.send(new DeleteDatastoreCommand({ datastoreId: id })),
      'ResourceNotFoundException',
      404,
    );
  });

  it('refuses to delete a data store that still holds image sets', async () => {
    const client = t.client();
    const id = await createActiveDatastore(client, 'not-empty');
    await importSyntheticStudy(client, t.s3Dir, id, smallCtStudy);
    await expectServiceError(
      () => client.send(new DeleteDatastoreCommand({ datastoreId: id })),
      'ConflictException',
      409,
    );
  });

  it('answers ResourceNotFoundException for an unknown data store and ValidationException for a bad id', async () => {
    const client = t.client();
    await expectServiceError(
      () => client.send(new GetDatastoreCommand({ datastoreId: 'f'.repeat(32) })),
      'ResourceNotFoundException',
      404,
    );
    await expectServiceError(
      () => client.send(new GetDatastoreCommand({ datastoreId: 'NOT-AN-ID' })),
      'ValidationException',
      400,
    );
  });

  it('validates names, formats and page sizes', async () => {
    const client = t.client();
    await expectServiceError(
      () => client.send(new CreateDatastoreCommand({ datastoreName: 'has spaces' })),
      'ValidationException',
      400,
    );
    await expectServiceError(
      () => client.send(new CreateDatastoreCommand({ losslessStorageFormat: 'PNG' as never })),
      'ValidationException',
      400,
    );
    await expectServiceError(
      () => client.send(new ListDatastoresCommand({ maxResults: 51 })),
      'ValidationException',
      400,
    );
    await expectServiceError(
      () => client.send(new ListDatastoresCommand({ nextToken: 'not-a-token' })),
      'ValidationException',
      400,
    );
  });
});
