import { smallCtStudy } from '../../scripts/synthetic-studies';
import { expectData, expectGraphQLError, waitUntilUnlocked } from '../support/gateway-expect';
import { startGatewayHarness, totalCalls, type GatewayHarness } from '../support/gateway-harness';

/** The response's top-level extensions (the harness types data and errors only). */
const ext = (response: unknown): Record<string, any> | undefined =>
  (response as { extensions?: Record<string, any> }).extensions;

const WRITER_KEY = `acme-writer-${'w'.repeat(24)}`;
const PARTNER_KEY = 'partner-key-0123456789abcdef0123456789';

const METADATA = `query ($ds: String!, $id: String!) {
  imageSet(datastoreId: $ds, imageSetId: $id) {
    metadata {
      patient { patientName patientId birthDate sex dicom }
      study {
        studyInstanceUid studyDate studyTime studyDescription accessionNumber studyId dicom
        series { seriesInstanceUid modality seriesDescription dicom instances(first: 1) { edges { node { sopInstanceUid dicom } } } }
      }
    }
  }
}`;

const SEARCH = `query ($ds: String!) {
  imageSets(datastoreId: $ds, first: 50) { edges { node { imageSetId dicomTags {
    patientId patientName patientBirthDate patientSex studyId studyDescription studyDate studyTime accessionNumber
    studyInstanceUid seriesInstanceUid seriesModality
  } } } }
}`;

/** Every PHI value the synthetic CT study writes (scripts/synthetic-studies.ts). */
const CT_PHI_VALUES = [
  smallCtStudy.patient.name,
  smallCtStudy.patient.id,
  smallCtStudy.patient.birthDate,
  smallCtStudy.accessionNumber,
  smallCtStudy.studyId,
  smallCtStudy.studyDate,
  smallCtStudy.studyTime!,
  smallCtStudy.studyDescription,
  'Synthetic Data General Hospital',
  'Synthetic^Referrer',
  'SYNTH01',
  'SYNTH-0001',
  'Axial 2.5mm',
];

describe('security: PHI minimum-necessary (phi:read)', () => {
  let h: GatewayHarness;
  let partner: Record<string, string>;
  let full: Record<string, string>;

  beforeAll(async () => {
    h = await startGatewayHarness({
      acmeApiKeys: [
        { id: 'partner', key: PARTNER_KEY, scopes: ['imagesets:read'] },
        { id: 'phi-less-writer', key: WRITER_KEY, scopes: ['imagesets:read', 'imagesets:write'] },
      ],
    });
    partner = h.as({ apiKey: PARTNER_KEY });
    full = h.as({ token: h.tokens.acme });
  });
  afterAll(async () => {
    await h?.close();
  });

  it('withholds every PHI attribute of the metadata from a partner key, and says so', async () => {
    const response = await h.gql(METADATA, { ds: h.datastores.acme, id: h.imageSets.acme[0] }, partner);
    const { metadata } = expectData(response).imageSet;
    expect(metadata.patient).toEqual({
      patientName: null,
      patientId: null,
      birthDate: null,
      sex: null,
      dicom: expect.any(Object),
    });
    for (const keyword of ['PatientName', 'PatientID', 'PatientBirthDate', 'PatientSex'])
      expect(metadata.patient.dicom).not.toHaveProperty(keyword);
    expect(metadata.study).toMatchObject({
      studyDate: null,
      studyTime: null,
      studyDescription: null,
      accessionNumber: null,
      studyId: null,
    });
    expect(metadata.study.studyInstanceUid).toMatch(/^2\.25\./);
    for (const keyword of [
      'StudyDate',
      'StudyTime',
      'AccessionNumber',
      'StudyID',
      'StudyDescription',
      'ReferringPhysicianName',
    ]) {
      expect(metadata.study.dicom).not.toHaveProperty(keyword);
    }
    const series = metadata.study.series[0];
    expect(series.seriesDescription).toBeNull();
    expect(series.modality).toBe('CT');
    const instance = series.instances.edges[0].node;
    expect(instance.sopInstanceUid).toMatch(/^2\.25\./);
    for (const keyword of [
      'InstitutionName',
      'StationName',
      'DeviceSerialNumber',
      'SeriesDate',
      'ContentDate',
      '00111001',
    ]) {
      expect(instance.dicom).not.toHaveProperty(keyword);
      expect(series.dicom).not.toHaveProperty(keyword);
    }
    const body = JSON.stringify(response.data);
    for (const value of CT_PHI_VALUES) expect(body).not.toContain(value);
    expect(ext(response)?.phi).toEqual({
      withheld: true,
      categories: expect.arrayContaining([
        'patient-name',
        'patient-id',
        'birth-date',
        'sex',
        'encounter-id',
        'dates-times',
        'institution',
        'personnel',
        'device',
        'private',
      ]),
      reason: 'phi:read scope required',
    });
  });

  it('shows everything to a phi:read caller, without the extension', async () => {
    const response = await h.gql(METADATA, { ds: h.datastores.acme, id: h.imageSets.acme[0] }, full);
    const { metadata } = expectData(response).imageSet;
    expect(metadata.patient).toMatchObject({
      patientName: smallCtStudy.patient.name,
      patientId: smallCtStudy.patient.id,
      birthDate: smallCtStudy.patient.birthDate,
      sex: 'F',
    });
    expect(metadata.study.accessionNumber).toContain(smallCtStudy.accessionNumber);
    expect(JSON.stringify(metadata)).toContain('Synthetic Data General Hospital');
    expect(ext(response)?.phi).toBeUndefined();
  });

  it('withholds PHI from search summaries, keeping UIDs and modality', async () => {
    const response = await h.gql(SEARCH, { ds: h.datastores.acme }, partner);
    const nodes = expectData(response).imageSets.edges.map((edge: any) => edge.node);
    expect(nodes.length).toBeGreaterThan(0);
    for (const { dicomTags } of nodes) {
      expect(dicomTags).toMatchObject({
        patientId: null,
        patientName: null,
        patientBirthDate: null,
        patientSex: null,
        studyId: null,
        studyDescription: null,
        studyDate: null,
        studyTime: null,
        accessionNumber: null,
        seriesModality: 'CT',
      });
      expect(dicomTags.seriesInstanceUid).toMatch(/^2\.25\./);
    }
    expect(ext(response)?.phi?.withheld).toBe(true);
  });

  it('a search selecting no PHI withholds nothing', async () => {
    const response = await h.gql(
      'query ($ds: String!) { imageSets(datastoreId: $ds, first: 5) { edges { node { imageSetId } } } }',
      { ds: h.datastores.acme },
      partner,
    );
    expectData(response);
    expect(ext(response)?.phi).toBeUndefined();
  });

  it.each([
    ['patientId', { patientId: smallCtStudy.patient.id }],
    ['accessionNumber', { accessionNumber: smallCtStudy.accessionNumber }],
    ['studyId', { studyId: smallCtStudy.studyId }],
    ['studyDate', { studyDate: { from: '20240101', to: '20240131' } }],
  ])('refuses a search by %s with FORBIDDEN and no upstream call', async (field, filter) => {
    h.resetUpstreamCalls();
    const response = await h.gql(
      'query ($ds: String!, $f: ImageSetSearchFilter) { imageSets(datastoreId: $ds, filter: $f) { edges { node { imageSetId } } } }',
      { ds: h.datastores.acme, f: filter },
      partner,
    );
    const error = expectGraphQLError(response, 'FORBIDDEN');
    expect(error.message).toBe(`Searching by filter.${field} needs the phi:read scope.`);
    expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
  });

  it('searching by a UID needs no phi:read', async () => {
    const uid = expectData(await h.gql(SEARCH, { ds: h.datastores.acme }, full)).imageSets.edges[0].node.dicomTags
      .seriesInstanceUid;
    const response = await h.gql(
      'query ($ds: String!, $uid: String!) { imageSets(datastoreId: $ds, filter: { seriesInstanceUid: $uid }) { edges { node { imageSetId } } } }',
      { ds: h.datastores.acme, uid },
      partner,
    );
    expect(expectData(response).imageSets.edges).toHaveLength(1);
  });

  it('withholds PHI from version changes', async () => {
    const [id] = await h.importStudy('acme', 'phi-changes');
    const read = (headers: Record<string, string>) =>
      h.gql(
        'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { latestVersionId } }',
        { ds: h.datastores.acme, id },
        headers,
      );
    const latest = expectData(await read(full)).imageSet.latestVersionId;
    expectData(
      await h.gql(
        'mutation ($input: UpdateImageSetMetadataInput!) { updateImageSetMetadata(input: $input) { version { versionId } } }',
        {
          input: {
            datastoreId: h.datastores.acme,
            imageSetId: id,
            latestVersionId: latest,
            updates: { study: { ReferringPhysicianName: 'Other^Referrer', StudyDescription: 'CHANGED DESC' } },
          },
        },
        full,
      ),
    );
    // Until the update is applied, the new version still holds the previous content: no changes yet.
    // (Patient-level attributes of a primary image set cannot be updated, so both are study-level.)
    expect(await waitUntilUnlocked(h, full, h.datastores.acme, id)).toMatchObject({ workflowStatus: 'UPDATED' });
    const changes = (headers: Record<string, string>) =>
      h.gql(
        'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { latestVersion { versionId changes { level keyword before after } } } }',
        { ds: h.datastores.acme, id },
        headers,
      );
    const seen = await changes(partner);
    expect(expectData(seen).imageSet.latestVersion.changes).toEqual([]);
    expect([...(ext(seen)?.phi?.categories ?? [])].sort()).toEqual(['free-text', 'personnel']);
    const shown = await changes(full);
    expect(
      expectData(shown)
        .imageSet.latestVersion.changes.map((c: any) => c.keyword)
        .sort(),
    ).toEqual(['ReferringPhysicianName', 'StudyDescription']);
    expect(ext(shown)?.phi).toBeUndefined();
  });

  it('lets a writer without phi:read revert only when no withheld attribute would change', async () => {
    const ds = h.datastores.acme;
    const [id] = await h.importStudy('acme', 'phi-revert');
    const writer = h.as({ apiKey: WRITER_KEY });
    const update = async (latestVersionId: string, updates: Record<string, unknown>) => {
      expectData(
        await h.gql(
          'mutation ($input: UpdateImageSetMetadataInput!) { updateImageSetMetadata(input: $input) { version { versionId } } }',
          { input: { datastoreId: ds, imageSetId: id, latestVersionId, updates } },
          full,
        ),
      );
      expect(await waitUntilUnlocked(h, full, ds, id)).toMatchObject({ workflowStatus: 'UPDATED' });
    };
    const revert = (latestVersionId: string, toVersionId: string) =>
      h.gql(
        'mutation ($input: RevertImageSetInput!) { revertImageSet(input: $input) { version { versionId } } }',
        { input: { datastoreId: ds, imageSetId: id, latestVersionId, toVersionId } },
        writer,
      );
    await update('1', { study: { StudyDescription: 'CORRECTED DESCRIPTION' } });
    await update('2', { study: { MeasuredAPDimension: '250' } });

    // Version 2 differs from 3 by MeasuredAPDimension only: not withheld, so the revert goes through.
    expect(expectData(await revert('3', '2')).revertImageSet.version.versionId).toBe('4');
    await waitUntilUnlocked(h, full, ds, id);

    // Version 1 differs from 4 by StudyDescription (free text, withheld): refused before any write.
    h.resetUpstreamCalls();
    const refused = await revert('4', '1');
    expect(expectGraphQLError(refused, 'FORBIDDEN').message).toBe(
      'Changing attributes of the categories free-text needs the phi:read scope.',
    );
    expect(h.upstreamCalls('acme').UpdateImageSetMetadata ?? 0).toBe(0);
    expect(JSON.stringify(refused)).not.toContain('CORRECTED');
  });
});
