import {
  CreateDatastoreCommand,
  GetImageSetCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
} from '@aws-sdk/client-medical-imaging';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { createActiveDatastore, importSyntheticStudy, pollUntil } from '../support/hil-wait';
import { GetDatastoreCommand } from '@aws-sdk/client-medical-imaging';

describe('HealthImaging Local tagging', () => {
  let t: TestHil;
  beforeAll(async () => {
    t = await startTestHil();
  });
  afterAll(async () => t.close());

  it('tags, lists and untags a data store by ARN, including tags given at creation', async () => {
    const client = t.client();
    const created = await client.send(
      new CreateDatastoreCommand({ datastoreName: 'tagged', tags: { team: 'radiology' } }),
    );
    const arn = await pollUntil('arn', async () => {
      const got = await client.send(new GetDatastoreCommand({ datastoreId: created.datastoreId }));
      return got.datastoreProperties?.datastoreStatus === 'ACTIVE' ? got.datastoreProperties.datastoreArn : undefined;
    });
    await client.send(new TagResourceCommand({ resourceArn: arn, tags: { env: 'test', 'cost-center': '42' } }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      team: 'radiology',
      env: 'test',
      'cost-center': '42',
    });
    await client.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env', 'team'] }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual({
      'cost-center': '42',
    });
  });

  it('tags an image set by its ARN', async () => {
    const client = t.client();
    const ds = await createActiveDatastore(client);
    const { imageSetIds } = await importSyntheticStudy(client, t.s3Dir, ds, smallCtStudy);
    const got = await client.send(new GetImageSetCommand({ datastoreId: ds, imageSetId: imageSetIds[0] }));
    await client.send(new TagResourceCommand({ resourceArn: got.imageSetArn, tags: { reviewed: 'yes' } }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: got.imageSetArn }))).tags).toEqual({
      reviewed: 'yes',
    });
  });

  it('answers ValidationException for a malformed ARN or a reserved key, and ResourceNotFoundException for a missing resource', async () => {
    const client = t.client();
    const ds = await createActiveDatastore(client);
    const arn = `arn:aws:medical-imaging:us-east-1:123456789012:datastore/${ds}`;
    await expectServiceError(
      () => client.send(new ListTagsForResourceCommand({ resourceArn: 'arn:aws:s3:::bucket' })),
      'ValidationException',
      400,
    );
    await expectServiceError(
      () => client.send(new TagResourceCommand({ resourceArn: arn, tags: { 'aws:reserved': 'x' } })),
      'ValidationException',
      400,
    );
    await expectServiceError(
      () => client.send(new ListTagsForResourceCommand({ resourceArn: `${arn}/imageset/${'0'.repeat(32)}` })),
      'ResourceNotFoundException',
      404,
    );
    await expectServiceError(
      () =>
        client.send(
          new ListTagsForResourceCommand({
            resourceArn: `arn:aws:medical-imaging:us-east-1:123456789012:datastore/${'1'.repeat(32)}`,
          }),
        ),
      'ResourceNotFoundException',
      404,
    );
  });

  it('refuses more than 50 tags on one resource', async () => {
    const client = t.client();
    const ds = await createActiveDatastore(client);
    const arn = `arn:aws:medical-imaging:us-east-1:123456789012:datastore/${ds}`;
    const tags = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    await client.send(new TagResourceCommand({ resourceArn: arn, tags }));
    await expectServiceError(
      () => client.send(new TagResourceCommand({ resourceArn: arn, tags: { extra: 'v' } })),
      'ValidationException',
      400,
    );
  });
});
