import { smallCtStudy, type SyntheticStudySpec } from '../../scripts/synthetic-studies';
import { expectData } from '../support/gateway-expect';
import { startGatewayHarness, totalCalls, type GatewayHarness } from '../support/gateway-harness';

/**
 * What three typical screens cost upstream, counted by HealthImaging Local per operation for the
 * tenant's key. The figures are printed (they are quoted in the gateway's documentation) and
 * asserted exactly, so a change that adds a call shows up here.
 */

/** One CT study of 20 series: HealthImaging makes one image set per series, so one study fills a browser page. */
const twentySeriesStudy: SyntheticStudySpec = {
  ...smallCtStudy,
  studyDescription: 'CT CHEST ABDOMEN PELVIS',
  series: Array.from({ length: 20 }, (_, index) => ({
    modality: index % 5 === 4 ? 'MR' : 'CT',
    seriesNumber: index + 1,
    description: `Series ${index + 1}`,
    bodyPart: 'CHEST',
    instances: 2,
  })),
  seed: 'typical-queries-20-series',
};

const VIEWER_HEADER = `query ViewerHeader($ds: String!, $id: String!) {
  imageSet(datastoreId: $ds, imageSetId: $id) {
    id imageSetId state workflowStatus latestVersionId isPrimary createdAt updatedAt
    versions(first: 10) {
      edges { cursor node { id versionId state workflowStatus createdAt updatedAt message forced } }
      pageInfo { hasNextPage endCursor }
    }
  }
}`;

const STUDY_BROWSER = `query StudyBrowser($ds: String!, $accession: String!) {
  imageSets(datastoreId: $ds, filter: { accessionNumber: $accession }, first: 20) {
    edges {
      node {
        id imageSetId state latestVersionId updatedAt
        dicomTags { patientName studyDate studyDescription seriesModality seriesNumber numberOfStudyRelatedInstances }
      }
    }
    pageInfo { hasNextPage endCursor }
  }
}`;

/** The same browser, with each image set's own instance count read from its metadata. */
const STUDY_BROWSER_WITH_SERIES_COUNTS = `query StudyBrowserSeriesCounts($ds: String!, $accession: String!) {
  imageSets(datastoreId: $ds, filter: { accessionNumber: $accession }, first: 20) {
    edges {
      node {
        imageSetId state
        dicomTags { studyDescription seriesModality }
        metadata { study { series { seriesDescription instanceCount } } }
      }
    }
  }
}`;

const METADATA_DETAIL = `query MetadataDetail($ds: String!, $id: String!) {
  imageSet(datastoreId: $ds, imageSetId: $id) {
    imageSetId latestVersionId state
    metadata {
      versionId schemaVersion
      patient { patientName patientId birthDate sex dicom }
      study {
        studyInstanceUid studyDate studyDescription accessionNumber studyId dicom
        series {
          seriesInstanceUid modality seriesNumber seriesDescription instanceCount dicom
          instances(first: 50) { edges { node { sopInstanceUid sopClassUid instanceNumber frames { id width height } dicom } } }
        }
      }
    }
  }
}`;

describe('gateway: upstream calls of three typical queries', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;
  let ds: string;
  let accession: string;
  let imageSetId: string;
  const figures: string[] = [];

  beforeAll(async () => {
    h = await startGatewayHarness();
    acme = h.as({ token: h.tokens.acme });
    ds = h.datastores.acme;
    const imageSetIds = await h.importStudy('acme', 'browser', twentySeriesStudy);
    expect(imageSetIds).toHaveLength(20);
    accession = `${twentySeriesStudy.accessionNumber}browser`.slice(0, 16);
    [imageSetId] = h.imageSets.acme;
    // Give the viewer's image set a short history: versions 2 and 3 on top of the import.
    for (const [latestVersionId, description] of [
      ['1', 'REVIEWED'],
      ['2', 'REVIEWED AGAIN'],
    ]) {
      expectData(
        await h.gql(
          'mutation ($input: UpdateImageSetMetadataInput!) { updateImageSetMetadata(input: $input) { version { versionId } } }',
          {
            input: {
              datastoreId: ds,
              imageSetId,
              latestVersionId,
              updates: { study: { StudyDescription: description } },
            },
          },
          acme,
        ),
      );
      await waitForActive(imageSetId);
    }
  });
  afterAll(async () => {
    if (figures.length > 0)
      console.log(`Upstream calls per query (HealthImaging Local counters):\n${figures.join('\n')}`);
    await h?.close();
  });

  async function waitForActive(id: string): Promise<void> {
    for (;;) {
      const res = await h.gql(
        'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { state } }',
        { ds, id },
        acme,
      );
      if (expectData(res).imageSet.state === 'ACTIVE') return;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  async function measure(name: string, query: string, variables: Record<string, unknown>) {
    h.resetUpstreamCalls();
    const data = expectData(await h.gql(query, variables, acme));
    const calls = h.upstreamCalls('acme');
    figures.push(`  ${name}: ${totalCalls(calls)} (${JSON.stringify(calls)})`);
    return { data, calls };
  }

  it('viewer header (one image set and its first 10 versions): one ListImageSetVersions, whose first entry is the latest version', async () => {
    const { data, calls } = await measure('viewer header', VIEWER_HEADER, { ds, id: imageSetId });
    expect(data.imageSet.latestVersionId).toBe('3');
    expect(data.imageSet.versions.edges.map((edge: any) => edge.node.versionId)).toEqual(['3', '2', '1']);
    expect(calls).toEqual({ ListImageSetVersions: 1 });
  });

  it('study browser (20 image sets with state and search tags): one search and one GetImageSet per image set for its state', async () => {
    const { data, calls } = await measure('study browser', STUDY_BROWSER, { ds, accession });
    const nodes = data.imageSets.edges.map((edge: any) => edge.node);
    expect(nodes).toHaveLength(20);
    expect(new Set(nodes.map((node: any) => node.dicomTags.seriesModality))).toEqual(new Set(['CT', 'MR']));
    expect(
      nodes.every(
        (node: any) => node.state === 'ACTIVE' && node.dicomTags.studyDescription === 'CT CHEST ABDOMEN PELVIS',
      ),
    ).toBe(true);
    expect(calls).toEqual({ SearchImageSets: 1, GetImageSet: 20 });
  });

  it('study browser with per-series instance counts from the metadata: one GetImageSetMetadata more per image set', async () => {
    const { data, calls } = await measure(
      'study browser with series instance counts',
      STUDY_BROWSER_WITH_SERIES_COUNTS,
      { ds, accession },
    );
    const counts = data.imageSets.edges.map((edge: any) => edge.node.metadata.study.series[0].instanceCount);
    expect(counts).toEqual(Array(20).fill(2));
    expect(calls).toEqual({ SearchImageSets: 1, GetImageSet: 20, GetImageSetMetadata: 20 });
  });

  it('metadata detail of one image set (every level, frames, first 50 instances): one GetImageSet and one GetImageSetMetadata', async () => {
    const { data, calls } = await measure('metadata detail', METADATA_DETAIL, { ds, id: imageSetId });
    expect(data.imageSet.metadata.versionId).toBe('3');
    expect(data.imageSet.metadata.study.studyDescription).toBe('REVIEWED AGAIN');
    expect(data.imageSet.metadata.study.series[0].instances.edges).toHaveLength(3);
    expect(calls).toEqual({ GetImageSet: 1, GetImageSetMetadata: 1 });
  });
});
