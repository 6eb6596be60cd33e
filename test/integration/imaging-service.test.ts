import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SearchImageSetsCommand, type MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import type { TenantConfig } from '../../src/tenants/tenant-config';
import {
  BadUserInputError,
  NotFoundError,
  ThrottledError,
  UpstreamUnavailableError,
  VersionConflictError,
} from '../../src/errors/gateway-errors';
import { createMedicalImagingClient } from '../../src/imaging/upstream/client-factory';
import { ImagingService } from '../../src/imaging/imaging-service';
import type { UpstreamCallEvent } from '../../src/imaging/upstream/upstream-caller';
import { buildCopySubset, buildUpdatableAttributes } from '../../src/imaging/writes/update-document';
import { smallCtStudy } from '../../scripts/synthetic-studies';
import { startTestHil, type TestHil } from '../support/hil-client';
import { createActiveDatastore, importSyntheticStudy, waitForUnlocked } from '../support/hil-wait';
import { atLeast, present } from '../support/present';

/**
 * A pass-through proxy in front of HealthImaging Local that can lose the answer of one write: it
 * forwards the request, lets the stand-in apply it, reads the whole response and then resets the
 * caller's connection. That is the failure reconciliation exists for (the write happened, the
 * caller cannot know), and no fault injected inside the stand-in can produce it.
 */
class LossyProxy {
  private server?: Server;
  private dropNext: string | undefined;
  private stallNext: string | undefined;
  private readonly inFlight = new Map<string, number>();
  /** Most requests seen at once per operation path segment since the last reset. */
  readonly peak = new Map<string, number>();
  url = '';

  constructor(private readonly upstream: string) {}

  async start(): Promise<void> {
    const target = new URL(this.upstream);
    this.server = createServer((req, res) => {
      const [pathname = ''] = (req.url ?? '').split('?');
      const segment = pathname.split('/').pop() ?? '';
      const drop = this.dropNext !== undefined && segment === this.dropNext;
      if (drop) this.dropNext = undefined;
      const stall = this.stallNext !== undefined && segment === this.stallNext;
      if (stall) this.stallNext = undefined;
      const now = (this.inFlight.get(segment) ?? 0) + 1;
      this.inFlight.set(segment, now);
      this.peak.set(segment, Math.max(now, this.peak.get(segment) ?? 0));
      res.on('close', () => this.inFlight.set(segment, (this.inFlight.get(segment) ?? 1) - 1));
      const forward = httpRequest(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (upstreamRes) => {
          if (drop) {
            upstreamRes.resume();
            upstreamRes.on('end', () => req.socket.destroy());
            return;
          }
          res.writeHead(upstreamRes.statusCode ?? 502, upstreamRes.headers);
          if (stall) {
            // Headers and the first bytes arrive, then nothing: only a body deadline ends this.
            upstreamRes.once('data', (chunk: Buffer) => {
              res.write(chunk.subarray(0, Math.max(1, Math.floor(chunk.length / 2))));
              upstreamRes.destroy();
            });
            return;
          }
          upstreamRes.pipe(res);
        },
      );
      forward.on('error', () => req.socket.destroy());
      req.pipe(forward);
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** The next call of this operation sends its headers and part of its body, then stalls. */
  stallNextBody(pathSegment: 'getImageSetMetadata'): void {
    this.stallNext = pathSegment;
  }

  /** The next call whose path ends with this operation segment is applied but never answered. */
  loseNextAnswer(pathSegment: 'copyImageSet' | 'updateImageSetMetadata' | 'deleteImageSet'): void {
    this.dropNext = pathSegment;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

describe('ImagingService against HealthImaging Local', () => {
  let hil: TestHil;
  let admin: MedicalImagingClient;
  let proxy: LossyProxy;
  let grantedStore: string;
  let foreignStore: string;
  let ctSeriesSet: string;
  let otherCtSeriesSet: string;
  let foreignSet: string;
  const events: UpstreamCallEvent[] = [];
  const clients: MedicalImagingClient[] = [];

  const acmeTenant = (endpoint: string): TenantConfig => ({
    id: 'acme',
    name: 'Acme Radiology',
    datastoreIds: [grantedStore],
    upstream: {
      region: 'us-east-1',
      endpoint,
      credentials: { type: 'static', accessKeyIdEnv: 'ACME_KEY', secretAccessKeyEnv: 'ACME_SECRET' },
      resolvedStaticCredentials: hil.credentials,
      maxConcurrency: 4,
      connectionTimeoutMs: 1000,
      requestTimeoutMs: 400,
      maxReadAttempts: 3,
    },
    apiKeys: [],
  });

  function service(endpoint = hil.url): ImagingService {
    const tenant = acmeTenant(endpoint);
    const client = createMedicalImagingClient(tenant.upstream);
    clients.push(client);
    return new ImagingService({
      tenant,
      client,
      onUpstreamCall: (event) => events.push(event),
      retry: { backoff: { baseDelayMs: 5, maxDelayMs: 20 } },
    });
  }

  const callsTo = (operation: string): number => hil.hil.admin.stats().operations[operation as never] ?? 0;

  function resetCounters(): void {
    hil.hil.admin.resetStats();
    hil.hil.admin.faults.clear();
    events.length = 0;
  }

  async function latestVersion(imageSetId: string): Promise<string> {
    const unlocked = await waitForUnlocked(admin, grantedStore, imageSetId);
    return unlocked.versionId!;
  }

  async function imageSetIdsOfSeries(seriesInstanceUid: string): Promise<string[]> {
    const found = await admin.send(
      new SearchImageSetsCommand({
        datastoreId: grantedStore,
        maxResults: 50,
        searchCriteria: { filters: [{ operator: 'EQUAL', values: [{ DICOMSeriesInstanceUID: seriesInstanceUid }] }] },
      }),
    );
    return (found.imageSetsMetadataSummaries ?? []).map((s) => s.imageSetId!).sort();
  }

  beforeAll(async () => {
    hil = await startTestHil();
    admin = hil.client();
    grantedStore = await createActiveDatastore(admin, 'acme-store');
    foreignStore = await createActiveDatastore(admin, 'globex-store');
    const imported = await importSyntheticStudy(admin, hil.s3Dir, grantedStore, smallCtStudy);
    [ctSeriesSet, otherCtSeriesSet] = atLeast(imported.imageSetIds, 2, 'CT image sets');
    const foreign = await importSyntheticStudy(admin, hil.s3Dir, foreignStore, smallCtStudy, 'foreign');
    foreignSet = present(foreign.imageSetIds[0], 'a foreign image set');
    proxy = new LossyProxy(hil.url);
    await proxy.start();
  });

  afterAll(async () => {
    for (const client of clients) client.destroy();
    await proxy.stop();
    await hil.close();
  });

  beforeEach(resetCounters);

  describe('grant check', () => {
    it('reports a foreign data store exactly like a missing image set, without calling the upstream', async () => {
      const acme = service();
      const foreign = await acme.getImageSet(foreignStore, foreignSet).catch((e: unknown) => e);
      expect(foreign).toBeInstanceOf(NotFoundError);
      expect(hil.hil.admin.stats().total).toBe(0);

      const missing = await acme.getImageSet(grantedStore, 'f'.repeat(32)).catch((e: unknown) => e);
      expect(missing).toBeInstanceOf(NotFoundError);
      expect((missing as Error).message).toBe((foreign as Error).message);
      expect(callsTo('GetImageSet')).toBe(1);
    });

    it('checks the grant before every operation, writes included', async () => {
      const acme = service();
      const attempts = [
        acme.getDatastore(foreignStore),
        acme.searchImageSets(foreignStore, {}, { maxResults: 10 }),
        acme.getImageSetMetadata(foreignStore, foreignSet),
        acme.listImageSetVersions(foreignStore, foreignSet, { maxResults: 10 }),
        acme.copyImageSet({ datastoreId: foreignStore, sourceImageSetId: foreignSet, sourceLatestVersionId: '1' }),
        acme.updateImageSetMetadata({
          datastoreId: foreignStore,
          imageSetId: foreignSet,
          latestVersionId: '1',
          revertToVersionId: '1',
        }),
        acme.deleteImageSet(foreignStore, foreignSet),
      ];
      for (const result of await Promise.allSettled(attempts)) {
        expect(result).toMatchObject({ status: 'rejected', reason: expect.any(NotFoundError) });
      }
      expect(hil.hil.admin.stats().total).toBe(0);
    });
  });

  describe('reads', () => {
    it('maps the data store, image set, versions and search results to records', async () => {
      const acme = service();
      const store = await acme.getDatastore(grantedStore);
      expect(store).toMatchObject({ datastoreId: grantedStore, name: 'acme-store', status: 'ACTIVE' });

      const imageSet = await acme.getImageSet(grantedStore, ctSeriesSet);
      expect(imageSet).toMatchObject({
        datastoreId: grantedStore,
        imageSetId: ctSeriesSet,
        state: 'ACTIVE',
        forced: false,
      });
      expect(imageSet.latestVersionId).toBe(imageSet.versionId);
      expect(imageSet.createdAt).toBeInstanceOf(Date);

      const versions = await acme.listImageSetVersions(grantedStore, ctSeriesSet, { maxResults: 10 });
      expect(versions.items[0]).toMatchObject({ imageSetId: ctSeriesSet, versionId: imageSet.versionId });
      expect(present(versions.items[0], 'a version').workflowStatus).toEqual(expect.any(String));

      const page = await acme.searchImageSets(
        grantedStore,
        { accessionNumber: smallCtStudy.accessionNumber },
        { maxResults: 10 },
      );
      expect(page.items.map((s) => s.imageSetId).sort()).toEqual([ctSeriesSet, otherCtSeriesSet].sort());
      expect(present(page.items[0], 'a found image set').versionId).toMatch(/^\d+$/);
    });

    it('gunzips and parses the metadata document', async () => {
      const document = await service().getImageSetMetadata(grantedStore, ctSeriesSet);
      expect(document.ImageSetID).toBe(ctSeriesSet);
      const [series] = atLeast(Object.values(document.Study.Series), 1, 'series');
      expect(Object.keys(series.Instances)).toHaveLength(3);
    });

    it('shares one download of a given version among concurrent callers, but not of "latest"', async () => {
      const imaging = service();
      const [first, second] = await Promise.all([
        imaging.getImageSetMetadata(grantedStore, ctSeriesSet, '1'),
        imaging.getImageSetMetadata(grantedStore, ctSeriesSet, '1'),
      ]);
      expect(second).toBe(first);
      expect(callsTo('GetImageSetMetadata')).toBe(1);

      await Promise.all([
        imaging.getImageSetMetadata(grantedStore, ctSeriesSet),
        imaging.getImageSetMetadata(grantedStore, ctSeriesSet),
      ]);
      expect(callsTo('GetImageSetMetadata')).toBe(3);

      // Nothing is kept once the call settles: a later caller downloads again.
      await imaging.getImageSetMetadata(grantedStore, ctSeriesSet, '1');
      expect(callsTo('GetImageSetMetadata')).toBe(4);
    });

    it('retries a throttled read until it succeeds', async () => {
      hil.hil.admin.faults.set({ operation: 'GetImageSet', mode: 'throttle', count: 2 });
      const imageSet = await service().getImageSet(grantedStore, ctSeriesSet);
      expect(imageSet.imageSetId).toBe(ctSeriesSet);
      expect(callsTo('GetImageSet')).toBe(3);
      expect(events.map((e) => [e.attempt, e.outcome])).toEqual([
        [1, 'error'],
        [2, 'error'],
        [3, 'ok'],
      ]);
    });

    it('gives up after maxReadAttempts with THROTTLED and a retry hint', async () => {
      hil.hil.admin.faults.set({ operation: 'GetImageSet', mode: 'throttle' });
      const error = await service()
        .getImageSet(grantedStore, ctSeriesSet)
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ThrottledError);
      expect((error as ThrottledError).extensions.retryAfterSeconds).toBeGreaterThanOrEqual(1);
      expect(callsTo('GetImageSet')).toBe(3);
    });

    it('retries a read whose connection hung, and fails it as unavailable when it keeps hanging', async () => {
      hil.hil.admin.faults.set({ operation: 'GetImageSet', mode: 'hang', count: 1 });
      await expect(service().getImageSet(grantedStore, ctSeriesSet)).resolves.toMatchObject({
        imageSetId: ctSeriesSet,
      });
      expect(callsTo('GetImageSet')).toBe(2);

      resetCounters();
      hil.hil.admin.faults.set({ operation: 'GetImageSet', mode: 'hang' });
      await expect(service().getImageSet(grantedStore, ctSeriesSet)).rejects.toBeInstanceOf(UpstreamUnavailableError);
      expect(callsTo('GetImageSet')).toBe(3);
    });
  });

  describe('deadlines', () => {
    it('abandons a metadata body that stalls part-way and reads it again', async () => {
      proxy.stallNextBody('getImageSetMetadata');
      const document = await service(proxy.url).getImageSetMetadata(grantedStore, ctSeriesSet);
      expect(document.ImageSetID).toBe(ctSeriesSet);
      expect(callsTo('GetImageSetMetadata')).toBe(2);
      expect(events.map((e) => [e.operation, e.outcome, e.errorKind])).toEqual([
        ['GetImageSetMetadata', 'error', 'timeout'],
        ['GetImageSetMetadata', 'ok', undefined],
      ]);
    });
  });

  describe('bounded concurrency', () => {
    it('keeps at most maxConcurrency calls of one tenant in flight', async () => {
      proxy.peak.clear();
      hil.hil.admin.faults.set({ operation: 'GetImageSet', mode: 'latency', latencyMs: 30 });
      const acme = service(proxy.url);
      const versions = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          acme.getImageSet(grantedStore, i % 2 === 0 ? ctSeriesSet : otherCtSeriesSet),
        ),
      );
      expect(versions).toHaveLength(12);
      expect(callsTo('GetImageSet')).toBe(12);
      expect(proxy.peak.get('getImageSet')).toBeLessThanOrEqual(4);
    });

    it('sends writes to one image set one at a time', async () => {
      const version = await latestVersion(ctSeriesSet);
      proxy.peak.clear();
      resetCounters();
      hil.hil.admin.faults.set({ operation: 'UpdateImageSetMetadata', mode: 'latency', latencyMs: 30 });
      const acme = service(proxy.url);
      const revert = () =>
        acme.updateImageSetMetadata({
          datastoreId: grantedStore,
          imageSetId: ctSeriesSet,
          latestVersionId: version,
          revertToVersionId: '1',
        });
      const outcomes = await Promise.allSettled([revert(), revert(), revert()]);
      expect(callsTo('UpdateImageSetMetadata')).toBe(3);
      expect(proxy.peak.get('updateImageSetMetadata')).toBe(1);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
        expect(outcome.reason).toBeInstanceOf(VersionConflictError);
      }
      await waitForUnlocked(admin, grantedStore, ctSeriesSet);
    });
  });

  describe('writes', () => {
    it('copies a subset into a new image set', async () => {
      const acme = service();
      const version = await latestVersion(otherCtSeriesSet);
      const document = await acme.getImageSetMetadata(grantedStore, otherCtSeriesSet, version);
      const [[seriesUid, series]] = atLeast(Object.entries(document.Study.Series), 1, 'series');
      const [firstInstance] = atLeast(Object.keys(series.Instances), 1, 'instances');
      const result = await acme.copyImageSet({
        datastoreId: grantedStore,
        sourceImageSetId: otherCtSeriesSet,
        sourceLatestVersionId: version,
        copiableAttributes: buildCopySubset([{ seriesInstanceUid: seriesUid, sopInstanceUids: [firstInstance] }]),
      });
      expect(result.source).toMatchObject({ imageSetId: otherCtSeriesSet, latestVersionId: version });
      expect(result.destination.latestVersionId).toBe('1');
      await waitForUnlocked(admin, grantedStore, result.destination.imageSetId);
      const copy = await acme.getImageSetMetadata(grantedStore, result.destination.imageSetId);
      expect(Object.keys(present(copy.Study.Series[seriesUid], 'the copied series').Instances)).toEqual([
        firstInstance,
      ]);
    });

    it('sends a copy that failed with a 500 exactly once and reports that it may or may not have happened', async () => {
      const version = await latestVersion(ctSeriesSet);
      const [seriesUid] = atLeast(
        Object.keys((await service().getImageSetMetadata(grantedStore, ctSeriesSet)).Study.Series),
        1,
        'series',
      );
      const before = await imageSetIdsOfSeries(seriesUid);
      resetCounters();
      hil.hil.admin.faults.set({ operation: 'CopyImageSet', mode: 'error' });

      const error = await service()
        .copyImageSet({ datastoreId: grantedStore, sourceImageSetId: ctSeriesSet, sourceLatestVersionId: version })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect((error as Error).message).toMatch(/may or may not have been applied/);
      expect(callsTo('CopyImageSet')).toBe(1);
      expect(callsTo('SearchImageSets')).toBeGreaterThan(0);
      expect(events.filter((e) => e.reconciling).length).toBeGreaterThan(0);
      expect(await imageSetIdsOfSeries(seriesUid)).toEqual(before);
    });

    it('sends a copy whose connection hung exactly once and reconciles instead of resending', async () => {
      const version = await latestVersion(ctSeriesSet);
      const destination = otherCtSeriesSet;
      const destinationVersion = await latestVersion(destination);
      resetCounters();
      hil.hil.admin.faults.set({ operation: 'CopyImageSet', mode: 'hang' });

      const error = await service()
        .copyImageSet({
          datastoreId: grantedStore,
          sourceImageSetId: ctSeriesSet,
          sourceLatestVersionId: version,
          destination: { imageSetId: destination, latestVersionId: destinationVersion },
          force: true,
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect((error as Error).message).toMatch(/may or may not have been applied/);
      expect(callsTo('CopyImageSet')).toBe(1);
      expect(callsTo('GetImageSet')).toBeGreaterThan(0);
    });

    it('recognises a copy into a new image set that was applied although its answer was lost', async () => {
      const version = await latestVersion(ctSeriesSet);
      const [seriesUid] = atLeast(
        Object.keys((await service().getImageSetMetadata(grantedStore, ctSeriesSet)).Study.Series),
        1,
        'series',
      );
      const before = await imageSetIdsOfSeries(seriesUid);
      resetCounters();
      proxy.loseNextAnswer('copyImageSet');

      const result = await service(proxy.url).copyImageSet({
        datastoreId: grantedStore,
        sourceImageSetId: ctSeriesSet,
        sourceLatestVersionId: version,
      });
      const after = await imageSetIdsOfSeries(seriesUid);
      const created = after.filter((id) => !before.includes(id));
      expect(created).toHaveLength(1);
      const [createdId] = atLeast(created, 1, 'created image sets');
      expect(result.destination).toMatchObject({ imageSetId: createdId, latestVersionId: '1' });
      expect(result.source.imageSetId).toBe(ctSeriesSet);
      expect(callsTo('CopyImageSet')).toBe(1);
      expect(events.some((e) => e.reconciling)).toBe(true);
      await waitForUnlocked(admin, grantedStore, createdId);
    });

    it('recognises a copy into an existing image set that was applied although its answer was lost', async () => {
      const version = await latestVersion(ctSeriesSet);
      const destinationVersion = await latestVersion(otherCtSeriesSet);
      resetCounters();
      proxy.loseNextAnswer('copyImageSet');

      const result = await service(proxy.url).copyImageSet({
        datastoreId: grantedStore,
        sourceImageSetId: ctSeriesSet,
        sourceLatestVersionId: version,
        destination: { imageSetId: otherCtSeriesSet, latestVersionId: destinationVersion },
        force: true,
      });
      expect(result.destination).toMatchObject({
        imageSetId: otherCtSeriesSet,
        latestVersionId: String(Number(destinationVersion) + 1),
      });
      expect(callsTo('CopyImageSet')).toBe(1);
      expect(events.some((e) => e.reconciling && e.operation === 'GetImageSet')).toBe(true);
      await waitForUnlocked(admin, grantedStore, otherCtSeriesSet);
      await waitForUnlocked(admin, grantedStore, ctSeriesSet);
    });

    it('recognises an update that was applied although its answer was lost', async () => {
      const version = await latestVersion(ctSeriesSet);
      resetCounters();
      proxy.loseNextAnswer('updateImageSetMetadata');
      const result = await service(proxy.url).updateImageSetMetadata({
        datastoreId: grantedStore,
        imageSetId: ctSeriesSet,
        latestVersionId: version,
        updates: {
          updatableAttributes: buildUpdatableAttributes({ study: { StudyDescription: 'CT CHEST RECONCILED' } })
            .document,
        },
      });
      expect(result.latestVersionId).toBe(String(Number(version) + 1));
      expect(['UPDATING', 'UPDATED']).toContain(result.workflowStatus);
      expect(callsTo('UpdateImageSetMetadata')).toBe(1);
      expect(events.some((e) => e.reconciling)).toBe(true);
      await waitForUnlocked(admin, grantedStore, ctSeriesSet);
      const document = await service().getImageSetMetadata(grantedStore, ctSeriesSet);
      expect(document.Study.DICOM.StudyDescription).toBe('CT CHEST RECONCILED');
    });

    it('sends an update that failed with a 500 once and does not claim it happened', async () => {
      const version = await latestVersion(ctSeriesSet);
      resetCounters();
      hil.hil.admin.faults.set({ operation: 'UpdateImageSetMetadata', mode: 'error' });
      const error = await service()
        .updateImageSetMetadata({
          datastoreId: grantedStore,
          imageSetId: ctSeriesSet,
          latestVersionId: version,
          revertToVersionId: '1',
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UpstreamUnavailableError);
      expect(callsTo('UpdateImageSetMetadata')).toBe(1);
      expect(await latestVersion(ctSeriesSet)).toBe(version);
    });

    it('resends a throttled update, which the upstream did not apply', async () => {
      const version = await latestVersion(ctSeriesSet);
      resetCounters();
      hil.hil.admin.faults.set({ operation: 'UpdateImageSetMetadata', mode: 'throttle', count: 1 });
      const result = await service().updateImageSetMetadata({
        datastoreId: grantedStore,
        imageSetId: ctSeriesSet,
        latestVersionId: version,
        revertToVersionId: '1',
      });
      expect(result.latestVersionId).toBe(String(Number(version) + 1));
      expect(callsTo('UpdateImageSetMetadata')).toBe(2);
      await waitForUnlocked(admin, grantedStore, ctSeriesSet);
    });

    it('reports a stale version as VERSION_CONFLICT with the current state attached', async () => {
      const version = await latestVersion(ctSeriesSet);
      const error = await service()
        .updateImageSetMetadata({
          datastoreId: grantedStore,
          imageSetId: ctSeriesSet,
          latestVersionId: String(Number(version) - 1),
          revertToVersionId: '1',
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(VersionConflictError);
      expect((error as VersionConflictError).extensions.current).toMatchObject({
        latestVersionId: version,
        state: 'ACTIVE',
      });
    });

    it('passes no upstream validation message through', async () => {
      const version = await latestVersion(ctSeriesSet);
      const error = await service()
        .updateImageSetMetadata({
          datastoreId: grantedStore,
          imageSetId: ctSeriesSet,
          latestVersionId: version,
          updates: {
            updatableAttributes: { SchemaVersion: '1.1', Patient: { DICOM: { NoSuchKeyword: 'Fixture^Carla' } } },
          },
        })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BadUserInputError);
      expect((error as Error).message).toBe('HealthImaging rejected the request as invalid.');
      expect(JSON.stringify((error as BadUserInputError).extensions)).not.toMatch(/NoSuchKeyword|Carla/);
    });

    it('deletes an image set', async () => {
      const acme = service();
      const version = await latestVersion(otherCtSeriesSet);
      const copy = await acme.copyImageSet({
        datastoreId: grantedStore,
        sourceImageSetId: otherCtSeriesSet,
        sourceLatestVersionId: version,
      });
      await waitForUnlocked(admin, grantedStore, copy.destination.imageSetId);
      const deleted = await acme.deleteImageSet(grantedStore, copy.destination.imageSetId);
      expect(deleted).toMatchObject({ datastoreId: grantedStore, imageSetId: copy.destination.imageSetId });
      expect(['DELETING', 'DELETED']).toContain(deleted.workflowStatus);
    });

    it('recognises a deletion that was applied although its answer was lost', async () => {
      const acme = service();
      const version = await latestVersion(otherCtSeriesSet);
      const copy = await acme.copyImageSet({
        datastoreId: grantedStore,
        sourceImageSetId: otherCtSeriesSet,
        sourceLatestVersionId: version,
      });
      await waitForUnlocked(admin, grantedStore, copy.destination.imageSetId);
      resetCounters();
      proxy.loseNextAnswer('deleteImageSet');
      const deleted = await service(proxy.url).deleteImageSet(grantedStore, copy.destination.imageSetId);
      expect(deleted.imageSetId).toBe(copy.destination.imageSetId);
      expect(['DELETING', 'DELETED']).toContain(deleted.workflowStatus);
      expect(callsTo('DeleteImageSet')).toBe(1);
    });
  });
});
