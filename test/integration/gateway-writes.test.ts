import { smallCtStudy } from '../../scripts/synthetic-studies';
import { expectData, expectGraphQLError, waitUntilUnlocked } from '../support/gateway-expect';
import { startGatewayHarness, totalCalls, type GatewayHarness } from '../support/gateway-harness';
import { pollUntil } from '../support/hil-wait';

const UPDATE = `mutation ($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) {
    imageSet { imageSetId state workflowStatus latestVersionId }
    version { versionId state workflowStatus }
  }
}`;

const REVERT = `mutation ($input: RevertImageSetInput!) {
  revertImageSet(input: $input) {
    imageSet { imageSetId state workflowStatus latestVersionId }
    version { versionId }
  }
}`;

const COPY = `mutation ($input: CopyImageSetInput!) {
  copyImageSet(input: $input) {
    sourceImageSet { imageSetId state workflowStatus latestVersionId }
    destinationImageSet { imageSetId state workflowStatus latestVersionId }
    destinationVersion { versionId }
  }
}`;

const DELETE = `mutation ($input: DeleteImageSetInput!) {
  deleteImageSet(input: $input) { imageSet { imageSetId state workflowStatus } }
}`;

const STUDY_AND_INSTANCES = `query ($ds: String!, $id: String!, $version: String) {
  imageSet(datastoreId: $ds, imageSetId: $id) {
    latestVersionId
    metadata(versionId: $version) { study { studyDescription series { seriesInstanceUid instanceCount instances(first: 50) { edges { node { sopInstanceUid instanceNumber } } } } } }
  }
}`;

describe('gateway: image set writes', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;
  let ds: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    acme = h.as({ token: h.tokens.acme });
    ds = h.datastores.acme;
  });
  afterAll(async () => {
    await h?.close();
  });

  async function studyOf(imageSetId: string, version?: string) {
    const data = expectData(await h.gql(STUDY_AND_INSTANCES, { ds, id: imageSetId, version }, acme));
    const [series] = data.imageSet.metadata.study.series;
    return {
      latestVersionId: data.imageSet.latestVersionId as string,
      studyDescription: data.imageSet.metadata.study.studyDescription as string,
      seriesInstanceUid: series.seriesInstanceUid as string,
      sopInstanceUids: series.instances.edges.map((edge: any) => edge.node.sopInstanceUid) as string[],
    };
  }

  describe('updateImageSetMetadata and revertImageSet', () => {
    // Every test owns its image set, so its version numbers hold whichever tests run (`-t` included).
    async function freshImageSet(label: string): Promise<string> {
      const [imageSetId] = await h.importStudy('acme', label);
      return imageSetId;
    }

    /** A fresh image set whose version 2 (applied) sets the study description. */
    async function updatedImageSet(label: string): Promise<string> {
      const imageSetId = await freshImageSet(label);
      expectData(
        await h.gql(
          UPDATE,
          {
            input: {
              datastoreId: ds,
              imageSetId,
              latestVersionId: '1',
              updates: { study: { StudyDescription: 'CT CHEST REVIEWED' } },
            },
          },
          acme,
        ),
      );
      await waitUntilUnlocked(h, acme, ds, imageSetId);
      return imageSetId;
    }

    it('starts an update, answers with the LOCKED/UPDATING state and the new version, then applies it', async () => {
      const imageSetId = await freshImageSet('upd-apply');
      const data = expectData(
        await h.gql(
          UPDATE,
          {
            input: {
              datastoreId: ds,
              imageSetId,
              latestVersionId: '1',
              updates: { study: { StudyDescription: 'CT CHEST REVIEWED' } },
            },
          },
          acme,
        ),
      );
      expect(data.updateImageSetMetadata).toEqual({
        imageSet: { imageSetId, state: 'LOCKED', workflowStatus: 'UPDATING', latestVersionId: '2' },
        version: { versionId: '2', state: 'LOCKED', workflowStatus: 'UPDATING' },
      });
      expect(await waitUntilUnlocked(h, acme, ds, imageSetId)).toEqual({
        state: 'ACTIVE',
        workflowStatus: 'UPDATED',
        latestVersionId: '2',
      });
      expect((await studyOf(imageSetId)).studyDescription).toBe('CT CHEST REVIEWED');
      expect((await studyOf(imageSetId, '1')).studyDescription).toBe(smallCtStudy.studyDescription);
    });

    it('shows what a version changed, level by level', async () => {
      const imageSetId = await updatedImageSet('upd-changes');
      const data = expectData(
        await h.gql(
          `query ($ds: String!, $id: String!) {
            imageSet(datastoreId: $ds, imageSetId: $id) {
              version(versionId: "2") { changes { level kind keyword before after seriesInstanceUid } }
              first: version(versionId: "1") { changes { kind } }
            }
          }`,
          { ds, id: imageSetId },
          acme,
        ),
      );
      expect(data.imageSet.version.changes).toEqual([
        {
          level: 'STUDY',
          kind: 'CHANGED',
          keyword: 'StudyDescription',
          before: smallCtStudy.studyDescription,
          after: 'CT CHEST REVIEWED',
          seriesInstanceUid: null,
        },
      ]);
      expect(data.imageSet.first.changes).toBeNull();
    });

    it('refuses a write on a stale version with VERSION_CONFLICT naming the current latest version', async () => {
      const imageSetId = await updatedImageSet('upd-stale');
      const res = await h.gql(
        UPDATE,
        {
          input: {
            datastoreId: ds,
            imageSetId,
            latestVersionId: '1',
            updates: { study: { StudyDescription: 'LOST UPDATE' } },
          },
        },
        acme,
      );
      const error = expectGraphQLError(res, 'VERSION_CONFLICT');
      expect(error.extensions!.current).toMatchObject({ latestVersionId: '2' });
      expect(res.data).toEqual({ updateImageSetMetadata: null });
    });

    it('refuses unknown keywords and keywords at the wrong level before calling HealthImaging', async () => {
      const imageSetId = await freshImageSet('upd-keywords');
      h.resetUpstreamCalls();
      const res = await h.gql(
        UPDATE,
        {
          input: {
            datastoreId: ds,
            imageSetId,
            latestVersionId: '1',
            updates: { patient: { NotAKeyword: 'x' }, study: { PatientName: 'Moved^Here' } },
          },
        },
        acme,
      );
      const error = expectGraphQLError(res, 'BAD_USER_INPUT');
      expect(error.extensions!.invalidKeywords).toEqual(
        expect.arrayContaining([
          expect.objectContaining({
            keyword: '(key #1 of the map that is not a DICOM keyword)',
            problem: 'UNKNOWN_KEYWORD',
          }),
          expect.objectContaining({ keyword: 'PatientName', problem: 'WRONG_LEVEL' }),
        ]),
      );
      expect(error.message).not.toContain('Moved^Here');
      expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
    });

    it('refuses an update that names neither updates nor removals', async () => {
      const imageSetId = await freshImageSet('upd-empty');
      h.resetUpstreamCalls();
      const res = await h.gql(UPDATE, { input: { datastoreId: ds, imageSetId, latestVersionId: '1' } }, acme);
      expect(expectGraphQLError(res, 'BAD_USER_INPUT').message).toMatch(/updates|removals/);
      expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
    });

    it('reverts by appending a version with the content of the earlier one', async () => {
      const imageSetId = await updatedImageSet('upd-revert');
      const data = expectData(
        await h.gql(REVERT, { input: { datastoreId: ds, imageSetId, latestVersionId: '2', toVersionId: '1' } }, acme),
      );
      expect(data.revertImageSet).toEqual({
        imageSet: { imageSetId, state: 'LOCKED', workflowStatus: 'UPDATING', latestVersionId: '3' },
        version: { versionId: '3' },
      });
      await waitUntilUnlocked(h, acme, ds, imageSetId);
      expect(await studyOf(imageSetId)).toMatchObject({
        latestVersionId: '3',
        studyDescription: smallCtStudy.studyDescription,
      });
    });

    it('pages through every version, newest first, to the end', async () => {
      const imageSetId = await updatedImageSet('upd-pages');
      expectData(
        await h.gql(REVERT, { input: { datastoreId: ds, imageSetId, latestVersionId: '2', toVersionId: '1' } }, acme),
      );
      await waitUntilUnlocked(h, acme, ds, imageSetId);
      const versions: Array<{ versionId: string; workflowStatus: string }> = [];
      let after: string | null = null;
      for (let page = 0; page < 10; page += 1) {
        const data: any = expectData(
          await h.gql(
            `query ($ds: String!, $id: String!, $after: String) {
              imageSet(datastoreId: $ds, imageSetId: $id) {
                versions(first: 1, after: $after) {
                  edges { cursor node { versionId workflowStatus state } }
                  pageInfo { hasNextPage endCursor }
                }
              }
            }`,
            { ds, id: imageSetId, after },
            acme,
          ),
        );
        const connection = data.imageSet.versions;
        versions.push(
          ...connection.edges.map((edge: any) => ({
            versionId: edge.node.versionId,
            workflowStatus: edge.node.workflowStatus,
          })),
        );
        if (!connection.pageInfo.hasNextPage) break;
        after = connection.pageInfo.endCursor;
      }
      expect(versions.map((version) => version.versionId)).toEqual(['3', '2', '1']);
      expect(versions.map((version) => version.workflowStatus)).toEqual(['UPDATED', 'UPDATED', 'IMPORTED']);
    });

    it('removes an instance through removals and reports it as an instance change', async () => {
      const imageSetId = await freshImageSet('upd-remove');
      const before = await studyOf(imageSetId);
      const removed = before.sopInstanceUids[2];
      expectData(
        await h.gql(
          UPDATE,
          {
            input: {
              datastoreId: ds,
              imageSetId,
              latestVersionId: before.latestVersionId,
              removals: { removeInstances: [{ seriesInstanceUid: before.seriesInstanceUid, sopInstanceUid: removed }] },
            },
          },
          acme,
        ),
      );
      await waitUntilUnlocked(h, acme, ds, imageSetId);
      const after = await studyOf(imageSetId);
      expect(after.sopInstanceUids).toEqual(before.sopInstanceUids.slice(0, 2));
      const changes = expectData(
        await h.gql(
          'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { latestVersion { changes { level kind sopInstanceUid keyword } } } }',
          { ds, id: imageSetId },
          acme,
        ),
      ).imageSet.latestVersion.changes;
      expect(changes).toEqual([
        { level: 'INSTANCE', kind: 'INSTANCE_REMOVED', sopInstanceUid: removed, keyword: null },
      ]);
    });
  });

  describe('copyImageSet', () => {
    let sourceId: string;
    let source: Awaited<ReturnType<typeof studyOf>>;

    beforeAll(async () => {
      [sourceId] = await h.importStudy('acme', 'copy');
      source = await studyOf(sourceId);
    });

    it('copies a whole image set into a new one', async () => {
      const data = expectData(
        await h.gql(COPY, { input: { datastoreId: ds, sourceImageSetId: sourceId, sourceLatestVersionId: '1' } }, acme),
      );
      const payload = data.copyImageSet;
      expect(payload.sourceImageSet).toEqual({
        imageSetId: sourceId,
        state: 'LOCKED',
        workflowStatus: 'COPYING_WITH_READ_ONLY_ACCESS',
        latestVersionId: '1',
      });
      expect(payload.destinationImageSet).toMatchObject({
        state: 'LOCKED',
        workflowStatus: 'COPYING',
        latestVersionId: '1',
      });
      expect(payload.destinationImageSet.imageSetId).not.toBe(sourceId);
      expect(payload.destinationVersion).toEqual({ versionId: '1' });
      await waitUntilUnlocked(h, acme, ds, sourceId);
      expect(await waitUntilUnlocked(h, acme, ds, payload.destinationImageSet.imageSetId)).toMatchObject({
        state: 'ACTIVE',
        workflowStatus: 'COPIED',
      });
      expect((await studyOf(payload.destinationImageSet.imageSetId)).sopInstanceUids).toEqual(source.sopInstanceUids);
    });

    it('copies chosen instances into a new image set, then merges another instance into it', async () => {
      const [first, second] = source.sopInstanceUids;
      const subset = expectData(
        await h.gql(
          COPY,
          {
            input: {
              datastoreId: ds,
              sourceImageSetId: sourceId,
              sourceLatestVersionId: '1',
              subset: { series: [{ seriesInstanceUid: source.seriesInstanceUid, sopInstanceUids: [first] }] },
            },
          },
          acme,
        ),
      ).copyImageSet;
      const destinationId: string = subset.destinationImageSet.imageSetId;
      await waitUntilUnlocked(h, acme, ds, sourceId);
      await waitUntilUnlocked(h, acme, ds, destinationId);
      expect((await studyOf(destinationId)).sopInstanceUids).toEqual([first]);

      const merge = expectData(
        await h.gql(
          COPY,
          {
            input: {
              datastoreId: ds,
              sourceImageSetId: sourceId,
              sourceLatestVersionId: '1',
              destination: { imageSetId: destinationId, latestVersionId: '1' },
              subset: { series: [{ seriesInstanceUid: source.seriesInstanceUid, sopInstanceUids: [second] }] },
            },
          },
          acme,
        ),
      ).copyImageSet;
      expect(merge.destinationImageSet).toMatchObject({ imageSetId: destinationId, latestVersionId: '2' });
      expect(merge.destinationVersion).toEqual({ versionId: '2' });
      await waitUntilUnlocked(h, acme, ds, sourceId);
      await waitUntilUnlocked(h, acme, ds, destinationId);
      expect((await studyOf(destinationId)).sopInstanceUids).toEqual([first, second]);
    });

    it('copies a whole series named without instances, reading its instances from the source version', async () => {
      const data = expectData(
        await h.gql(
          COPY,
          {
            input: {
              datastoreId: ds,
              sourceImageSetId: sourceId,
              sourceLatestVersionId: '1',
              subset: { series: [{ seriesInstanceUid: source.seriesInstanceUid }] },
            },
          },
          acme,
        ),
      ).copyImageSet;
      await waitUntilUnlocked(h, acme, ds, sourceId);
      await waitUntilUnlocked(h, acme, ds, data.destinationImageSet.imageSetId);
      expect((await studyOf(data.destinationImageSet.imageSetId)).sopInstanceUids).toEqual(source.sopInstanceUids);
    });

    it('refuses a subset naming a series the source does not have', async () => {
      const res = await h.gql(
        COPY,
        {
          input: {
            datastoreId: ds,
            sourceImageSetId: sourceId,
            sourceLatestVersionId: '1',
            subset: { series: [{ seriesInstanceUid: '1.2.3.999' }] },
          },
        },
        acme,
      );
      expect(expectGraphQLError(res, 'BAD_USER_INPUT').message).toMatch(/not a series of the source/);
    });

    it('refuses a copy from a stale source version with VERSION_CONFLICT', async () => {
      const [staleSource] = await h.importStudy('acme', 'copy-stale');
      expectData(
        await h.gql(
          UPDATE,
          {
            input: {
              datastoreId: ds,
              imageSetId: staleSource,
              latestVersionId: '1',
              updates: { study: { StudyDescription: 'CHANGED' } },
            },
          },
          acme,
        ),
      );
      await waitUntilUnlocked(h, acme, ds, staleSource);
      const res = await h.gql(
        COPY,
        { input: { datastoreId: ds, sourceImageSetId: staleSource, sourceLatestVersionId: '1' } },
        acme,
      );
      expect(expectGraphQLError(res, 'VERSION_CONFLICT').extensions!.current).toEqual({
        imageSetId: staleSource,
        latestVersionId: '2',
        state: 'ACTIVE',
        workflowStatus: 'UPDATED',
      });

      // Into an up-to-date destination: the conflict still names the stale source, not the destination.
      const [destination] = await h.importStudy('acme', 'copy-stale-dest');
      const merge = await h.gql(
        COPY,
        {
          input: {
            datastoreId: ds,
            sourceImageSetId: staleSource,
            sourceLatestVersionId: '1',
            destination: { imageSetId: destination, latestVersionId: '1' },
            force: true,
          },
        },
        acme,
      );
      expect(expectGraphQLError(merge, 'VERSION_CONFLICT').extensions!.current).toMatchObject({
        imageSetId: staleSource,
        latestVersionId: '2',
      });
    });
  });

  describe('deleteImageSet', () => {
    it('starts a delete, answers LOCKED/DELETING, and the image set is then gone (NOT_FOUND)', async () => {
      const [imageSetId] = await h.importStudy('acme', 'delete');
      const data = expectData(await h.gql(DELETE, { input: { datastoreId: ds, imageSetId } }, acme));
      expect(data.deleteImageSet).toEqual({ imageSet: { imageSetId, state: 'LOCKED', workflowStatus: 'DELETING' } });
      // HealthImaging Local answers 404 once a delete completes, as callers of the real service report.
      const gone = await pollUntil('the deleted image set to disappear', async () => {
        const res = await h.gql(
          'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { state } }',
          { ds, id: imageSetId },
          acme,
        );
        return res.errors ? res : undefined;
      });
      expectGraphQLError(gone, 'NOT_FOUND');
    });
  });

  describe('scopes', () => {
    it('refuses writes to a read-only caller and deletes to a write-only caller, before calling HealthImaging', async () => {
      const [imageSetId] = h.imageSets.acme;
      h.resetUpstreamCalls();
      const readOnly = await h.gql(
        UPDATE,
        {
          input: { datastoreId: ds, imageSetId, latestVersionId: '1', updates: { study: { StudyDescription: 'NO' } } },
        },
        h.as({ token: h.tokens.acmeReadOnly }),
      );
      expect(expectGraphQLError(readOnly, 'FORBIDDEN').message).toMatch(/imagesets:write/);
      const writeOnly = await h.gql(
        DELETE,
        { input: { datastoreId: ds, imageSetId } },
        h.as({ apiKey: h.apiKeys.acmeWriteOnly }),
      );
      expect(expectGraphQLError(writeOnly, 'FORBIDDEN').message).toMatch(/imagesets:delete/);
      const cannotRead = await h.gql(
        'query ($ds: String!, $id: String!) { imageSet(datastoreId: $ds, imageSetId: $id) { state } }',
        { ds, id: imageSetId },
        h.as({ apiKey: h.apiKeys.acmeWriteOnly }),
      );
      expectGraphQLError(cannotRead, 'FORBIDDEN');
      expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
    });
  });
});
