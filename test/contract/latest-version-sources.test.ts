import {
  CopyImageSetCommand,
  DeleteImageSetCommand,
  GetImageSetCommand,
  ListImageSetVersionsCommand,
  UpdateImageSetMetadataCommand,
  type MedicalImagingClient,
} from '@aws-sdk/client-medical-imaging';
import { toImageSetRecord, toVersionRecord } from '../../src/imaging/upstream/to-records';
import { imageSetVersionFacts } from '../../src/types/image-set-version.type';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { createActiveDatastore, importSyntheticStudy } from '../support/hil-wait';
import { atLeast } from '../support/present';

const encode = (doc: unknown) => new TextEncoder().encode(JSON.stringify(doc));
const setDescription = (text: string) => encode({ SchemaVersion: 1.1, Study: { DICOM: { StudyDescription: text } } });

/**
 * The gateway answers `imageSet { state workflowStatus latestVersionId … versions }` from the first
 * entry of ListImageSetVersions instead of GetImageSet
 * (docs/healthimaging-behaviour.md#the-latest-version-in-two-answers). This proves the two
 * answers agree, as the gateway reads them, in every state a version passes through; writes are
 * held pending (a long write delay) and completed with flushWrites(), so each state is seen.
 */
describe('HealthImaging Local: the latest version in GetImageSet and in ListImageSetVersions', () => {
  let t: TestHil;
  let client: MedicalImagingClient;
  let datastoreId: string;
  let studies = 0;

  beforeAll(async () => {
    t = await startTestHil({ writeDelayMs: 600_000 });
    client = t.client();
    datastoreId = await createActiveDatastore(client);
  });
  afterAll(async () => t.close());

  async function freshImageSet(): Promise<string> {
    studies += 1;
    const spec = { ...smallCtStudy, seed: `sources-${studies}`, accessionNumber: `SOURCES${studies}` };
    const [id] = atLeast((await importSyntheticStudy(client, t.s3Dir, datastoreId, spec)).imageSetIds, 1, 'image sets');
    return id;
  }

  /** Both answers as the gateway maps them; the ARN is GetImageSet's alone. */
  async function bothSources(imageSetId: string) {
    const got = await client.send(new GetImageSetCommand({ datastoreId, imageSetId }));
    const listed = await client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId, maxResults: 1 }));
    const entry = listed.imageSetPropertiesList?.[0];
    if (!entry) throw new Error('ListImageSetVersions listed no version');
    const viaGet = toImageSetRecord(got, true);
    const viaList = toVersionRecord(datastoreId, entry);
    return {
      fromGetImageSet: { versionId: viaGet.versionId, ...imageSetVersionFacts(viaGet) },
      fromVersionsPage: { versionId: viaList.versionId, ...imageSetVersionFacts(viaList) },
      arn: viaGet.arn,
      entryKeys: Object.keys(entry),
    };
  }

  async function expectAgreement(imageSetId: string, expected: Record<string, unknown>): Promise<void> {
    const { fromGetImageSet, fromVersionsPage, arn, entryKeys } = await bothSources(imageSetId);
    expect(fromVersionsPage).toEqual(fromGetImageSet);
    expect(fromGetImageSet).toMatchObject(expected);
    expect(arn).toMatch(/^arn:aws:medical-imaging:/);
    expect(entryKeys).not.toContain('imageSetArn');
  }

  const update = (imageSetId: string, latestVersionId: string, description: string, force = false) =>
    client.send(
      new UpdateImageSetMetadataCommand({
        datastoreId,
        imageSetId,
        latestVersionId,
        force,
        updateImageSetMetadataUpdates: { DICOMUpdates: { updatableAttributes: setDescription(description) } },
      }),
    );

  it('agree on a freshly imported image set', async () => {
    const id = await freshImageSet();
    await expectAgreement(id, { versionId: '1', state: 'ACTIVE', workflowStatus: 'IMPORTED', isPrimary: true });
  });

  it('agree while an update runs, once it is done, and when it was forced', async () => {
    const id = await freshImageSet();
    await update(id, '1', 'SOURCES RUNNING', true);
    await expectAgreement(id, { versionId: '2', state: 'LOCKED', workflowStatus: 'UPDATING', forced: true });
    t.hil.admin.flushWrites();
    await expectAgreement(id, { versionId: '2', state: 'ACTIVE', workflowStatus: 'UPDATED', forced: true });
  });

  it('agree on a failed update, message included', async () => {
    const id = await freshImageSet();
    await client.send(
      new UpdateImageSetMetadataCommand({
        datastoreId,
        imageSetId: id,
        latestVersionId: '1',
        updateImageSetMetadataUpdates: {
          DICOMUpdates: {
            removableAttributes: encode({ SchemaVersion: 1.1, Study: { DICOM: { StudyDescription: 'NOT STORED' } } }),
          },
        },
      }),
    );
    t.hil.admin.flushWrites();
    const { fromGetImageSet } = await bothSources(id);
    expect(fromGetImageSet.message).toEqual(expect.any(String));
    await expectAgreement(id, { versionId: '2', state: 'ACTIVE', workflowStatus: 'UPDATE_FAILED' });
  });

  it('agree on both sides of a copy while it runs and after', async () => {
    const source = await freshImageSet();
    const copied = await client.send(
      new CopyImageSetCommand({
        datastoreId,
        sourceImageSetId: source,
        copyImageSetInformation: { sourceImageSet: { latestVersionId: '1' } },
      }),
    );
    const destination = copied.destinationImageSetProperties!.imageSetId!;
    await expectAgreement(source, { versionId: '1', state: 'LOCKED', workflowStatus: 'COPYING_WITH_READ_ONLY_ACCESS' });
    await expectAgreement(destination, {
      versionId: '1',
      state: 'LOCKED',
      workflowStatus: 'COPYING',
      isPrimary: false,
    });
    t.hil.admin.flushWrites();
    await expectAgreement(source, { versionId: '1', state: 'ACTIVE' });
    await expectAgreement(destination, { versionId: '1', state: 'ACTIVE', workflowStatus: 'COPIED' });
  });

  it('agree while a delete runs', async () => {
    const id = await freshImageSet();
    await client.send(new DeleteImageSetCommand({ datastoreId, imageSetId: id }));
    await expectAgreement(id, { state: 'LOCKED', workflowStatus: 'DELETING' });
    t.hil.admin.flushWrites();
  });
});
