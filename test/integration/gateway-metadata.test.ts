import { largeStudySpec, smallCtStudy, smallMrStudy, SYNTHETIC_PRIVATE_TAG } from '../../scripts/synthetic-studies';
import { expectData, expectGraphQLError } from '../support/gateway-expect';
import { startGatewayHarness, type GatewayHarness } from '../support/gateway-harness';
import { present } from '../support/present';

const METADATA = `query ($ds: String!, $id: String!) {
  imageSet(datastoreId: $ds, imageSetId: $id) {
    metadata {
      versionId schemaVersion
      patient { patientName patientId birthDate sex dicom }
      study {
        studyInstanceUid studyDate studyTime studyDescription accessionNumber studyId
        series {
          seriesInstanceUid modality seriesNumber seriesDescription bodyPartExamined instanceCount
          instances(first: 2) {
            edges { cursor node { sopInstanceUid sopClassUid instanceNumber storedTransferSyntaxUid frames { id width height } dicom dicomVrs } }
            pageInfo { hasNextPage endCursor }
          }
        }
      }
    }
  }
}`;

const INSTANCES = `query ($ds: String!, $id: String!, $first: Int, $after: String) {
  imageSet(datastoreId: $ds, imageSetId: $id) {
    metadata { study { series { instances(first: $first, after: $after) {
      edges { node { instanceNumber sopInstanceUid } }
      pageInfo { hasNextPage endCursor }
    } } } }
  }
}`;

describe('gateway: image set metadata', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;

  beforeAll(async () => {
    h = await startGatewayHarness();
    acme = h.as({ token: h.tokens.acme });
  });
  afterAll(async () => {
    await h?.close();
  });

  async function seriesOne(tenant: 'acme' | 'globex', seriesNumber: number): Promise<string> {
    const data = expectData(
      await h.gql(
        'query ($ds: String!) { imageSets(datastoreId: $ds, first: 50) { edges { node { imageSetId dicomTags { seriesNumber accessionNumber } } } } }',
        { ds: h.datastores[tenant] },
        h.as({ token: h.tokens[tenant] }),
      ),
    );
    const node = data.imageSets.edges
      .map((edge: any) => edge.node)
      .find(
        (candidate: any) =>
          candidate.dicomTags.seriesNumber === seriesNumber && candidate.dicomTags.accessionNumber.endsWith('base'),
      );
    return node.imageSetId;
  }

  it('decodes the Patient, Study, Series and Instance levels into typed fields', async () => {
    const imageSetId = await seriesOne('acme', 1);
    const data = expectData(await h.gql(METADATA, { ds: h.datastores.acme, id: imageSetId }, acme));
    const metadata = data.imageSet.metadata;
    expect(metadata.versionId).toBe('1');
    expect(metadata.schemaVersion).toBe('1.1');
    expect(metadata.patient).toMatchObject({
      patientName: smallCtStudy.patient.name,
      patientId: smallCtStudy.patient.id,
      birthDate: smallCtStudy.patient.birthDate,
      sex: smallCtStudy.patient.sex,
      dicom: expect.objectContaining({ PatientID: smallCtStudy.patient.id }),
    });
    expect(metadata.study).toMatchObject({
      studyInstanceUid: expect.stringMatching(/^2\.25\.\d+$/),
      studyDate: smallCtStudy.studyDate,
      studyDescription: smallCtStudy.studyDescription,
      accessionNumber: `${smallCtStudy.accessionNumber}base`,
      studyId: smallCtStudy.studyId,
    });
    expect(metadata.study.series).toHaveLength(1);
    const [series] = metadata.study.series;
    expect(series).toMatchObject({
      modality: 'CT',
      seriesNumber: 1,
      seriesDescription: present(smallCtStudy.series[0], 'a CT series').description,
      bodyPartExamined: 'CHEST',
      instanceCount: 3,
    });
    const instances = series.instances.edges.map((edge: any) => edge.node);
    expect(instances.map((instance: any) => instance.instanceNumber)).toEqual([1, 2]);
    expect(series.instances.pageInfo.hasNextPage).toBe(true);
    for (const instance of instances) {
      expect(instance.sopClassUid).toBe('1.2.840.10008.5.1.4.1.1.2');
      expect(instance.frames).toEqual([{ id: expect.stringMatching(/^[0-9a-z]{32}$/), width: 32, height: 32 }]);
      expect(instance.dicom).toHaveProperty(SYNTHETIC_PRIVATE_TAG);
      expect(instance.dicomVrs).toMatchObject({ [SYNTHETIC_PRIVATE_TAG]: 'LO' });
    }
  });

  it('lists every frame of multi-frame instances', async () => {
    const imageSetId = await seriesOne('globex', 2);
    const data = expectData(
      await h.gql(METADATA, { ds: h.datastores.globex, id: imageSetId }, h.as({ token: h.tokens.globex })),
    );
    const instances = data.imageSet.metadata.study.series[0].instances.edges.map((edge: any) => edge.node);
    for (const instance of instances) {
      expect(instance.frames).toHaveLength(present(smallMrStudy.series[1], 'a second MR series').frames!);
      expect(instance.frames.map((frame: any) => [frame.width, frame.height])).toEqual([
        [16, 16],
        [16, 16],
      ]);
      expect(new Set(instance.frames.map((frame: any) => frame.id)).size).toBe(2);
    }
  });

  it('pages through a large series in Instance Number order with signed offset cursors', async () => {
    const [imageSetId] = await h.importStudy('acme', 'large', largeStudySpec(120));
    const numbers: number[] = [];
    let after: string | null = null;
    for (let page = 0; page < 10; page += 1) {
      const data: any = expectData(
        await h.gql(INSTANCES, { ds: h.datastores.acme, id: imageSetId, first: 50, after }, acme),
      );
      const connection = data.imageSet.metadata.study.series[0].instances;
      numbers.push(...connection.edges.map((edge: any) => edge.node.instanceNumber));
      if (!connection.pageInfo.hasNextPage) break;
      after = connection.pageInfo.endCursor;
    }
    expect(numbers).toEqual(Array.from({ length: 120 }, (_, index) => index + 1));
  });

  it('refuses an instance cursor replayed onto another series', async () => {
    const [first, second] = h.imageSets.acme;
    const page = expectData(await h.gql(INSTANCES, { ds: h.datastores.acme, id: first, first: 1 }, acme));
    const cursor = page.imageSet.metadata.study.series[0].instances.pageInfo.endCursor;
    const res = await h.gql(INSTANCES, { ds: h.datastores.acme, id: second, first: 1, after: cursor }, acme);
    expectGraphQLError(res, 'BAD_USER_INPUT');
  });

  it('finds one instance by SOP Instance UID and answers null for an unknown one', async () => {
    const imageSetId = await seriesOne('acme', 2);
    const page = expectData(await h.gql(INSTANCES, { ds: h.datastores.acme, id: imageSetId, first: 3 }, acme));
    const third = page.imageSet.metadata.study.series[0].instances.edges[2].node;
    const data = expectData(
      await h.gql(
        `query ($ds: String!, $id: String!, $sop: String!) {
          imageSet(datastoreId: $ds, imageSetId: $id) { metadata { study { series {
            found: instance(sopInstanceUid: $sop) { instanceNumber }
            missing: instance(sopInstanceUid: "1.2.3.4") { instanceNumber }
          } } } }
        }`,
        { ds: h.datastores.acme, id: imageSetId, sop: third.sopInstanceUid },
        acme,
      ),
    );
    expect(data.imageSet.metadata.study.series[0]).toEqual({ found: { instanceNumber: 3 }, missing: null });
  });

  it('fetches the metadata document only when one of its fields is selected, and once per version', async () => {
    // A fresh image set: the replica's cache would answer for one an earlier test read.
    const [imageSetId] = await h.importStudy('acme', 'once-per-version');
    h.resetUpstreamCalls();
    expectData(
      await h.gql(
        'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { metadata { versionId } } }',
        { ds: h.datastores.acme, id: imageSetId },
        acme,
      ),
    );
    expect(h.upstreamCalls('acme').GetImageSetMetadata).toBeUndefined();

    h.resetUpstreamCalls();
    expectData(
      await h.gql(
        `query ($ds: String!, $id: String!) {
          a: imageSet(datastoreId: $ds, imageSetId: $id) {
            metadata { patient { patientId } study { studyId series { instanceCount } } }
            latestVersion { metadata { study { accessionNumber } } }
          }
          b: imageSet(datastoreId: $ds, imageSetId: $id) { metadata(versionId: "1") { patient { sex } } }
        }`,
        { ds: h.datastores.acme, id: imageSetId },
        acme,
      ),
    );
    expect(h.upstreamCalls('acme').GetImageSetMetadata).toBe(1);
  });

  it('answers NOT_FOUND for the metadata of a version that does not exist', async () => {
    const [imageSetId] = h.imageSets.acme;
    const res = await h.gql(
      'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { metadata(versionId: "99") { patient { patientId } } } }',
      { ds: h.datastores.acme, id: imageSetId },
      acme,
    );
    expectGraphQLError(res, 'NOT_FOUND');
  });
});
