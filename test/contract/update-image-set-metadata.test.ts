/**
 * UpdateImageSetMetadata through the real SDK against HealthImaging Local: image sets come from a
 * real DICOM import of a synthetic study; each rule of docs/healthimaging-behaviour.md#update-rules
 * is observed the way a client observes it (synchronous exception, or a version that ends
 * UPDATE_FAILED with its message in GetImageSet and ListImageSetVersions).
 */
import { gunzipSync } from 'node:zlib';
import {
  CopyImageSetCommand,
  GetImageSetCommand,
  GetImageSetMetadataCommand,
  ListImageSetVersionsCommand,
  UpdateImageSetMetadataCommand,
  type GetImageSetCommandOutput,
  type MedicalImagingClient,
} from '@aws-sdk/client-medical-imaging';
import type { MetadataDocument } from '../../healthimaging-local/shapes/metadata-document';
import { SYNTHETIC_PRIVATE_TAG, smallCtStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { expectServiceError } from '../support/hil-errors';
import { createActiveDatastore, importSyntheticStudy, waitForUnlocked } from '../support/hil-wait';
import { firstSeries, instanceIn, seriesIn } from '../unit/healthimaging-local/fixtures/document-paths';
import { atLeast, present, type AtLeast } from '../support/present';

interface UpdatePayload {
  updatable?: unknown;
  removable?: unknown;
}

const encode = (payload: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(payload));

let hil: TestHil;
let client: MedicalImagingClient;
let datastoreId: string;
/** The two primary image sets the import made, one per CT series. */
let primaryIds: AtLeast<string, 2>;

async function metadata(imageSetId: string, versionId?: string): Promise<MetadataDocument> {
  const out = await client.send(new GetImageSetMetadataCommand({ datastoreId, imageSetId, versionId }));
  const bytes = await out.imageSetMetadataBlob.transformToByteArray();
  return JSON.parse(gunzipSync(bytes).toString('utf8')) as MetadataDocument;
}

async function latestVersion(imageSetId: string): Promise<string> {
  return (await client.send(new GetImageSetCommand({ datastoreId, imageSetId }))).versionId!;
}

/** Sends a DICOMUpdates request against the current latest version and waits for the outcome. */
async function update(imageSetId: string, payload: UpdatePayload, force?: boolean): Promise<GetImageSetCommandOutput> {
  const sent = await client.send(
    new UpdateImageSetMetadataCommand({
      datastoreId,
      imageSetId,
      latestVersionId: await latestVersion(imageSetId),
      force,
      updateImageSetMetadataUpdates: {
        DICOMUpdates: {
          updatableAttributes: payload.updatable === undefined ? undefined : encode(payload.updatable),
          removableAttributes: payload.removable === undefined ? undefined : encode(payload.removable),
        },
      },
    }),
  );
  expect(sent.imageSetState).toBe('LOCKED');
  expect(sent.imageSetWorkflowStatus).toBe('UPDATING');
  const done = await waitForUnlocked(client, datastoreId, imageSetId);
  expect(done.versionId).toBe(sent.latestVersionId);
  return done;
}

/** Expects the update to be accepted and end UPDATE_FAILED; returns the message (checked in both places). */
async function failedUpdate(imageSetId: string, payload: UpdatePayload, force?: boolean): Promise<string> {
  const before = await metadata(imageSetId);
  const done = await update(imageSetId, payload, force);
  expect(done.imageSetState).toBe('ACTIVE');
  expect(done.imageSetWorkflowStatus).toBe('UPDATE_FAILED');
  const listed = await client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId }));
  const entry = listed.imageSetPropertiesList!.find((v) => v.versionId === done.versionId)!;
  expect(entry.ImageSetWorkflowStatus).toBe('UPDATE_FAILED');
  expect(entry.message).toBe(done.message);
  // A failed version keeps the content it was based on.
  expect(await metadata(imageSetId, done.versionId)).toEqual(before);
  return done.message!;
}

async function succeededUpdate(imageSetId: string, payload: UpdatePayload, force?: boolean): Promise<MetadataDocument> {
  const done = await update(imageSetId, payload, force);
  expect({ state: done.imageSetState, status: done.imageSetWorkflowStatus, message: done.message }).toEqual({
    state: 'ACTIVE',
    status: 'UPDATED',
    message: undefined,
  });
  return metadata(imageSetId, done.versionId);
}

/** A fresh non-primary image set: a copy of a primary one (CopyImageSet without destination). */
async function nonPrimaryCopy(sourceId: string): Promise<string> {
  const copied = await client.send(
    new CopyImageSetCommand({
      datastoreId,
      sourceImageSetId: sourceId,
      copyImageSetInformation: { sourceImageSet: { latestVersionId: await latestVersion(sourceId) } },
    }),
  );
  const id = copied.destinationImageSetProperties!.imageSetId!;
  const done = await waitForUnlocked(client, datastoreId, id);
  expect({ status: done.imageSetWorkflowStatus, isPrimary: done.isPrimary }).toEqual({
    status: 'COPIED',
    isPrimary: false,
  });
  await waitForUnlocked(client, datastoreId, sourceId);
  return id;
}

function onlySeries(doc: MetadataDocument): { uid: string; sops: AtLeast<string, 1> } {
  const { uid, series } = firstSeries(doc);
  return { uid, sops: atLeast(Object.keys(series.Instances), 1, 'instances') };
}

beforeAll(async () => {
  hil = await startTestHil();
  client = hil.client();
  datastoreId = await createActiveDatastore(client, 'update-contract');
  const imported = (await importSyntheticStudy(client, hil.s3Dir, datastoreId, smallCtStudy)).imageSetIds;
  expect(imported).toHaveLength(2);
  primaryIds = atLeast(imported, 2, 'primary image sets');
});

afterAll(async () => {
  await hil?.close();
});

describe('UpdateImageSetMetadata with DICOMUpdates', () => {
  it('replaces a Study attribute of a primary image set in a new version, leaving the old version readable', async () => {
    const [id] = primaryIds;
    const before = await metadata(id);
    const beforeVersion = await latestVersion(id);
    const after = await succeededUpdate(id, {
      updatable: { SchemaVersion: 1.1, Study: { DICOM: { StudyDescription: 'CT CHEST REVISED' } } },
    });
    expect(after.Study.DICOM.StudyDescription).toBe('CT CHEST REVISED');
    expect(Number(await latestVersion(id))).toBe(Number(beforeVersion) + 1);
    expect(await metadata(id, beforeVersion)).toEqual(before);
    expect({
      ...after,
      Study: { ...after.Study, DICOM: { ...after.Study.DICOM, StudyDescription: before.Study.DICOM.StudyDescription } },
    }).toEqual(before);
  });

  it('removes an attribute whose key and value match the stored one', async () => {
    const [id] = primaryIds;
    const stored = (await metadata(id)).Study.DICOM.ReferringPhysicianName;
    expect(stored).toBeDefined();
    const after = await succeededUpdate(id, { removable: { Study: { DICOM: { ReferringPhysicianName: stored } } } });
    expect(after.Study.DICOM).not.toHaveProperty('ReferringPhysicianName');
  });

  it('ends UPDATE_FAILED when a removal names a value that is not the stored one, without echoing it', async () => {
    const [id] = primaryIds;
    const message = await failedUpdate(id, {
      removable: { Study: { DICOM: { StudyDescription: 'NOT THE STORED VALUE' } } },
    });
    expect(message).toMatch(/^INVALID_REQUEST: .*StudyDescription.*does not match the stored value/);
    expect(message).not.toContain('NOT THE STORED VALUE');
  });

  it('refuses Patient level changes on a primary image set', async () => {
    const message = await failedUpdate(
      primaryIds[0],
      { updatable: { Patient: { DICOM: { PatientName: 'Anonymous' } } } },
      true,
    );
    expect(message).toMatch(/Patient level attributes of a primary image set cannot be updated/);
  });

  it('refuses Series level changes on a primary image set', async () => {
    const [id] = primaryIds;
    const { uid } = onlySeries(await metadata(id));
    const message = await failedUpdate(id, {
      updatable: { Study: { Series: { [uid]: { DICOM: { SeriesDescription: 'renamed' } } } } },
    });
    expect(message).toMatch(/Series level attributes of a primary image set/);
  });

  it('refuses a StudyInstanceUID change on a primary image set even with force', async () => {
    const message = await failedUpdate(
      primaryIds[1],
      { updatable: { Study: { DICOM: { StudyInstanceUID: '2.25.1' } } } },
      true,
    );
    expect(message).toMatch(/StudyInstanceUID of a primary image set cannot be updated, even with force/);
  });

  it('de-identifies the Patient level of a non-primary copy', async () => {
    const copyId = await nonPrimaryCopy(primaryIds[1]);
    const after = await succeededUpdate(copyId, {
      updatable: { Patient: { DICOM: { PatientName: 'Anonymous', PatientBirthDate: null } } },
    });
    expect(after.Patient.DICOM).toMatchObject({ PatientName: 'Anonymous', PatientBirthDate: null });
  });

  it('needs force for StudyInstanceUID on a non-primary image set, and reports forced versions', async () => {
    const copyId = await nonPrimaryCopy(primaryIds[1]);
    expect(await failedUpdate(copyId, { updatable: { Study: { DICOM: { StudyInstanceUID: '2.25.12345' } } } })).toMatch(
      /StudyInstanceUID can only be updated with force/,
    );
    const forced = await update(copyId, { updatable: { Study: { DICOM: { StudyInstanceUID: '2.25.12345' } } } }, true);
    expect(forced.imageSetWorkflowStatus).toBe('UPDATED');
    expect(forced.overrides?.forced).toBe(true);
    const listed = await client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId: copyId }));
    expect(listed.imageSetPropertiesList!.find((v) => v.versionId === forced.versionId)!.overrides?.forced).toBe(true);
    expect((await metadata(copyId)).Study.DICOM.StudyInstanceUID).toBe('2.25.12345');
  });

  it('re-keys the instance when a forced update changes its SOPInstanceUID', async () => {
    const copyId = await nonPrimaryCopy(primaryIds[1]);
    const { uid, sops } = onlySeries(await metadata(copyId));
    const after = await succeededUpdate(
      copyId,
      {
        updatable: {
          Study: { Series: { [uid]: { Instances: { [sops[0]]: { DICOM: { SOPInstanceUID: '2.25.777' } } } } } },
        },
      },
      true,
    );
    expect(Object.keys(seriesIn(after, uid).Instances).sort()).toEqual(['2.25.777', ...sops.slice(1)].sort());
  });

  it('needs force to update an instance-level private element', async () => {
    const [id] = primaryIds;
    const { uid, sops } = onlySeries(await metadata(id));
    const payload = {
      updatable: {
        Study: {
          Series: {
            [uid]: {
              Instances: {
                [sops[0]]: {
                  DICOM: { [SYNTHETIC_PRIVATE_TAG]: 'relabelled' },
                  DICOMVRs: { [SYNTHETIC_PRIVATE_TAG]: 'LO' },
                },
              },
            },
          },
        },
      },
    };
    expect(await failedUpdate(id, payload)).toMatch(
      new RegExp(`private element ${SYNTHETIC_PRIVATE_TAG} can only be updated with force`),
    );
    const after = await succeededUpdate(id, payload, true);
    const instance = instanceIn(after, uid, sops[0]);
    expect(instance.DICOM[SYNTHETIC_PRIVATE_TAG]).toBe('relabelled');
    expect(instance.DICOMVRs?.[SYNTHETIC_PRIVATE_TAG]).toBe('LO');
  });

  it('needs force for sequences, multi-valued attributes and values that do not fit the VR', async () => {
    const copyId = await nonPrimaryCopy(primaryIds[0]);
    const sequence = {
      ProcedureCodeSequence: [{ CodeValue: 'CTCHEST', CodingSchemeDesignator: 'L', CodeMeaning: 'CT chest' }],
    };
    expect(await failedUpdate(copyId, { updatable: { Study: { DICOM: sequence } } })).toMatch(
      /sequence \(SQ\) attribute/,
    );
    expect(await failedUpdate(copyId, { updatable: { Study: { DICOM: { StudyDate: '2024-01-02' } } } })).toMatch(
      /StudyDate is not valid for its VR DA/,
    );
    const { uid, sops } = onlySeries(await metadata(copyId));
    const imageType = {
      Study: { Series: { [uid]: { Instances: { [sops[0]]: { DICOM: { ImageType: ['DERIVED', 'SECONDARY'] } } } } } },
    };
    expect(await failedUpdate(copyId, { updatable: imageType })).toMatch(/ImageType is a multi-valued attribute/);
    const after = await succeededUpdate(copyId, { updatable: { Study: { DICOM: sequence } } }, true);
    expect(after.Study.DICOM.ProcedureCodeSequence).toEqual(sequence.ProcedureCodeSequence);
  });

  it('ends UPDATE_FAILED for an attribute at the wrong level', async () => {
    expect(await failedUpdate(primaryIds[1], { updatable: { Study: { DICOM: { PatientName: 'Moved^Up' } } } })).toMatch(
      /PatientName is not a Study level attribute/,
    );
  });

  it('ends UPDATE_FAILED when the named Series is not in the image set', async () => {
    expect(
      await failedUpdate(primaryIds[1], {
        updatable: { Study: { Series: { '2.25.404': { DICOM: { SeriesDescription: 'x' } } } } },
      }),
    ).toMatch(/Series named in updatableAttributes is not present/);
  });

  it('removes a SOP instance named with an empty object', async () => {
    const copyId = await nonPrimaryCopy(primaryIds[1]);
    const { uid, sops } = onlySeries(await metadata(copyId));
    const after = await succeededUpdate(copyId, {
      removable: { SchemaVersion: 1.1, Study: { Series: { [uid]: { Instances: { [sops[0]]: {} } } } } },
    });
    expect(Object.keys(seriesIn(after, uid).Instances).sort()).toEqual(sops.slice(1).sort());
  });
});

describe('UpdateImageSetMetadata with revertToVersionId', () => {
  it('appends latest+1 with the content of the target version', async () => {
    const copyId = await nonPrimaryCopy(primaryIds[0]);
    const original = await metadata(copyId, '1');
    await succeededUpdate(copyId, { updatable: { Study: { DICOM: { StudyDescription: 'first edit' } } } });
    await succeededUpdate(copyId, { updatable: { Patient: { DICOM: { PatientName: 'Second^Edit' } } } });
    expect(await latestVersion(copyId)).toBe('3');
    const sent = await client.send(
      new UpdateImageSetMetadataCommand({
        datastoreId,
        imageSetId: copyId,
        latestVersionId: '3',
        updateImageSetMetadataUpdates: { revertToVersionId: '1' },
      }),
    );
    expect(sent.latestVersionId).toBe('4');
    const done = await waitForUnlocked(client, datastoreId, copyId);
    expect(done.imageSetWorkflowStatus).toBe('UPDATED');
    expect(await metadata(copyId, '4')).toEqual(original);
    expect((await metadata(copyId, '3')).Patient.DICOM.PatientName).toBe('Second^Edit');
    const listed = await client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId: copyId }));
    expect(listed.imageSetPropertiesList!.map((v) => v.versionId)).toEqual(['4', '3', '2', '1']);
  });
});

describe('UpdateImageSetMetadata request validation', () => {
  async function sendRaw(updates: Record<string, unknown>, latestVersionId?: string): Promise<unknown> {
    const [id] = primaryIds;
    return client.send(
      new UpdateImageSetMetadataCommand({
        datastoreId,
        imageSetId: id,
        latestVersionId: latestVersionId ?? (await latestVersion(id)),
        updateImageSetMetadataUpdates: updates as never,
      }),
    );
  }

  it('rejects both union members with ValidationException', async () => {
    await expectServiceError(
      () =>
        sendRaw({
          DICOMUpdates: { updatableAttributes: encode({ Study: { DICOM: { StudyDescription: 'x' } } }) },
          revertToVersionId: '1',
        }),
      'ValidationException',
      400,
    );
  });

  it('rejects neither union member, and DICOMUpdates without attributes, with ValidationException', async () => {
    await expectServiceError(() => sendRaw({}), 'ValidationException', 400);
    await expectServiceError(() => sendRaw({ DICOMUpdates: {} }), 'ValidationException', 400);
  });

  it('rejects payloads that are not JSON, have unknown keys, or exceed the 10 KB quota', async () => {
    const notJson = await expectServiceError(
      () => sendRaw({ DICOMUpdates: { updatableAttributes: new TextEncoder().encode('{not json') } }),
      'ValidationException',
      400,
    );
    expect(notJson.message).toMatch(/not a UTF-8 JSON document/);
    const unknownKey = await expectServiceError(
      () => sendRaw({ DICOMUpdates: { updatableAttributes: encode({ Instances: {} }) } }),
      'ValidationException',
      400,
    );
    expect(unknownKey.message).toMatch(/Instances is not allowed in the top level/);
    const big = encode({ Study: { DICOM: { StudyDescription: 'x'.repeat(11 * 1024) } } });
    const tooBig = await expectServiceError(
      () => sendRaw({ DICOMUpdates: { updatableAttributes: big } }),
      'ValidationException',
      400,
    );
    expect(tooBig.message).toMatch(/10 KB/);
    const generated = await expectServiceError(
      () => sendRaw({ DICOMUpdates: { removableAttributes: encode({ ImageSetID: 'x' }) } }),
      'ValidationException',
      400,
    );
    expect(generated.message).toMatch(/ImageSetID is generated by HealthImaging/);
  });

  it('leaves the image set untouched when a request is rejected synchronously', async () => {
    const [id] = primaryIds;
    const before = await latestVersion(id);
    await expectServiceError(
      () => sendRaw({ DICOMUpdates: { updatableAttributes: encode({ Study: { DICOM: { NotAKeyword: 1 } } }) } }),
      'ValidationException',
      400,
    );
    expect(await latestVersion(id)).toBe(before);
  });

  it('rejects a stale latestVersionId with ConflictException', async () => {
    const [id] = primaryIds;
    const current = Number(await latestVersion(id));
    await expectServiceError(
      () =>
        sendRaw(
          { DICOMUpdates: { updatableAttributes: encode({ Study: { DICOM: { StudyDescription: 'stale' } } }) } },
          String(current - 1),
        ),
      'ConflictException',
      409,
    );
  });

  it('rejects a revert to a version that does not exist', async () => {
    await expectServiceError(() => sendRaw({ revertToVersionId: '999' }), 'ResourceNotFoundException', 404);
  });
});

describe('UpdateImageSetMetadata on a LOCKED image set', () => {
  let slowHil: TestHil;
  let slowClient: MedicalImagingClient;
  let slowDatastoreId: string;
  let slowImageSetId: string;

  beforeAll(async () => {
    // Writes stay LOCKED for a minute here, far longer than the test needs, so the lock is certain.
    slowHil = await startTestHil({ writeDelayMs: 60_000 });
    slowClient = slowHil.client();
    slowDatastoreId = await createActiveDatastore(slowClient, 'update-locked');
    slowImageSetId = present(
      (await importSyntheticStudy(slowClient, slowHil.s3Dir, slowDatastoreId, smallCtStudy)).imageSetIds[0],
      'an imported image set',
    );
  });

  afterAll(async () => {
    await slowHil?.close();
  });

  it('answers ConflictException to a second write while the first one runs', async () => {
    const send = (latestVersionId: string) =>
      slowClient.send(
        new UpdateImageSetMetadataCommand({
          datastoreId: slowDatastoreId,
          imageSetId: slowImageSetId,
          latestVersionId,
          updateImageSetMetadataUpdates: {
            DICOMUpdates: { updatableAttributes: encode({ Study: { DICOM: { StudyDescription: 'busy' } } }) },
          },
        }),
      );
    const first = await send('1');
    expect(first).toMatchObject({ latestVersionId: '2', imageSetState: 'LOCKED', imageSetWorkflowStatus: 'UPDATING' });
    await expectServiceError(() => send('2'), 'ConflictException', 409);
    await expectServiceError(() => send('1'), 'ConflictException', 409);
    const got = await slowClient.send(
      new GetImageSetCommand({ datastoreId: slowDatastoreId, imageSetId: slowImageSetId }),
    );
    expect(got).toMatchObject({ imageSetState: 'LOCKED', imageSetWorkflowStatus: 'UPDATING', versionId: '2' });
  });
});
