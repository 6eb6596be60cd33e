import { NotFoundError } from '../../../src/errors/gateway-errors';
import type { ImagingPort } from '../../../src/imaging/imaging-port';
import { createLoaders } from '../../../src/imaging/loaders';
import type { ImageSetRecord, MetadataDocument } from '../../../src/imaging/records';

const ds = 'a'.repeat(32);
const ctSet = 'b'.repeat(32);
const mrSet = 'c'.repeat(32);
const missingSet = 'd'.repeat(32);

/** A port that answers from memory and counts each call by method and arguments. */
class CountingPort implements ImagingPort {
  readonly tenantId = 'acme';
  readonly calls: string[] = [];
  latest: Record<string, string> = { [ctSet]: '2', [mrSet]: '1' };
  /** While set, GetImageSet answers only once it resolves (a call in flight). */
  gate?: Promise<void>;

  count(name: string, ...args: unknown[]): number {
    const key = [name, ...args.map((a) => JSON.stringify(a ?? null))].join(' ');
    return this.calls.filter((c) => c === key).length;
  }

  private record(name: string, ...args: unknown[]): void {
    this.calls.push([name, ...args.map((a) => JSON.stringify(a ?? null))].join(' '));
  }

  grantedDatastoreIds() {
    return [ds];
  }

  assertGranted(): void {}

  /** Documents this port holds without a download (none unless a test says so). */
  cached = new Set<string>();

  isMetadataCached(datastoreId: string, imageSetId: string, versionId: string): boolean {
    return this.cached.has(`${datastoreId}/${imageSetId}/${versionId}`);
  }

  async getDatastore(datastoreId: string) {
    this.record('getDatastore', datastoreId);
    return { datastoreId, name: 'acme-store', status: 'ACTIVE' };
  }

  async searchImageSets(): Promise<never> {
    throw new Error('not used');
  }

  async getImageSet(datastoreId: string, imageSetId: string, versionId?: string): Promise<ImageSetRecord> {
    this.record('getImageSet', datastoreId, imageSetId, versionId);
    await this.gate;
    const latest = this.latest[imageSetId];
    if (!latest) throw new NotFoundError();
    return {
      datastoreId,
      imageSetId,
      versionId: versionId ?? latest,
      state: 'ACTIVE',
      forced: false,
      ...(versionId === undefined ? { latestVersionId: latest } : {}),
    };
  }

  async getImageSetMetadata(datastoreId: string, imageSetId: string, versionId?: string): Promise<MetadataDocument> {
    this.record('getImageSetMetadata', datastoreId, imageSetId, versionId);
    return {
      SchemaVersion: '1.1',
      DatastoreID: datastoreId,
      ImageSetID: imageSetId,
      Patient: { DICOM: {} },
      Study: { DICOM: { StudyDescription: `v${versionId}` }, Series: {} },
    };
  }

  async listImageSetVersions(
    datastoreId: string,
    imageSetId: string,
    page: { maxResults: number; nextToken?: string },
  ) {
    this.record('listImageSetVersions', datastoreId, imageSetId, page.maxResults, page.nextToken);
    return { items: [], ...(page.nextToken ? {} : { nextToken: 'page-2' }) };
  }

  async copyImageSet(): Promise<never> {
    throw new Error('not used');
  }

  async updateImageSetMetadata(): Promise<never> {
    throw new Error('not used');
  }

  async deleteImageSet(): Promise<never> {
    throw new Error('not used');
  }

  async getImageFrame(): Promise<never> {
    throw new Error('not used');
  }
}

describe('createLoaders', () => {
  it('asks the upstream once for identical image set keys in one request', async () => {
    const port = new CountingPort();
    const loaders = createLoaders(port);
    const [a, b, c] = await Promise.all([
      loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet }),
      loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet }),
      loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet, versionId: undefined }),
    ]);
    await loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet });
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(port.count('getImageSet', ds, ctSet, undefined)).toBe(1);
  });

  it('keeps the latest version and an explicit older version apart', async () => {
    const port = new CountingPort();
    const loaders = createLoaders(port);
    const [latest, v1] = await Promise.all([
      loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet }),
      loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet, versionId: '1' }),
    ]);
    expect(latest.versionId).toBe('2');
    expect(v1.versionId).toBe('1');
    expect(port.calls).toEqual([`getImageSet "${ds}" "${ctSet}" null`, `getImageSet "${ds}" "${ctSet}" "1"`]);
  });

  describe('the latest version asked for by its number', () => {
    it('is served by a latest load in the same batch', async () => {
      const port = new CountingPort();
      const loaders = createLoaders(port);
      const [v2, latest] = await Promise.all([
        loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet, versionId: '2' }),
        loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet }),
      ]);
      expect(v2).toBe(latest);
      expect(port.calls).toEqual([`getImageSet "${ds}" "${ctSet}" null`]);
    });

    it('is served by a latest load that has finished', async () => {
      const port = new CountingPort();
      const loaders = createLoaders(port);
      const latest = await loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet });
      const v2 = await loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet, versionId: '2' });
      expect(v2).toBe(latest);
      expect(port.calls).toHaveLength(1);
    });

    it('waits for a latest load still in flight from an earlier batch', async () => {
      const port = new CountingPort();
      const loaders = createLoaders(port);
      let answer!: () => void;
      port.gate = new Promise((resolve) => (answer = resolve));
      const latestLoad = loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet });
      // The first batch dispatches and its call hangs before the second key is asked for.
      await new Promise((resolve) => setImmediate(resolve));
      expect(port.calls).toHaveLength(1);
      const versionLoad = loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet, versionId: '2' });
      await new Promise((resolve) => setImmediate(resolve));
      answer();
      expect(await versionLoad).toBe(await latestLoad);
      expect(port.calls).toHaveLength(1);
    });

    it('is fetched by number when the latest load failed', async () => {
      const port = new CountingPort();
      const loaders = createLoaders(port);
      delete port.latest[ctSet];
      await expect(loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet })).rejects.toBeInstanceOf(NotFoundError);
      port.latest[ctSet] = '2';
      const v2 = await loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet, versionId: '2' });
      expect(v2.versionId).toBe('2');
      expect(port.count('getImageSet', ds, ctSet, '2')).toBe(1);
    });

    it('never stands in for the latest: a versioned answer cannot tell whether it still is', async () => {
      const port = new CountingPort();
      const loaders = createLoaders(port);
      await loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet, versionId: '2' });
      await loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet });
      expect(port.calls).toHaveLength(2);
    });
  });

  it('keeps the batch order and fails only the missing key', async () => {
    const loaders = createLoaders(new CountingPort());
    const results = await loaders.imageSet.loadMany([
      { datastoreId: ds, imageSetId: mrSet },
      { datastoreId: ds, imageSetId: missingSet },
      { datastoreId: ds, imageSetId: ctSet },
    ]);
    expect((results[0] as ImageSetRecord).imageSetId).toBe(mrSet);
    expect(results[1]).toBeInstanceOf(NotFoundError);
    expect((results[2] as ImageSetRecord).imageSetId).toBe(ctSet);
  });

  it('fetches and decodes a version metadata document at most once per request', async () => {
    const port = new CountingPort();
    const loaders = createLoaders(port);
    const key = { datastoreId: ds, imageSetId: ctSet, versionId: '2' };
    const [first, second] = await Promise.all([loaders.metadata.load(key), loaders.metadata.load({ ...key })]);
    await loaders.metadata.load({ ...key });
    expect(first).toBe(second);
    expect(port.count('getImageSetMetadata', ds, ctSet, '2')).toBe(1);
  });

  it('caches versions pages by size and token', async () => {
    const port = new CountingPort();
    const loaders = createLoaders(port);
    const firstPage = { datastoreId: ds, imageSetId: ctSet, maxResults: 10 };
    await Promise.all([loaders.versionsPage.load(firstPage), loaders.versionsPage.load({ ...firstPage })]);
    await loaders.versionsPage.load({ ...firstPage, nextToken: 'page-2' });
    await loaders.versionsPage.load({ ...firstPage, maxResults: 20 });
    expect(port.count('listImageSetVersions', ds, ctSet, 10, undefined)).toBe(1);
    expect(port.calls.filter((c) => c.startsWith('listImageSetVersions'))).toHaveLength(3);
  });

  it('shares nothing between two requests', async () => {
    const port = new CountingPort();
    await createLoaders(port).datastore.load(ds);
    await createLoaders(port).datastore.load(ds);
    expect(port.count('getDatastore', ds)).toBe(2);
  });

  it('after a write forgets what it read about the image sets written, and nothing else', async () => {
    const port = new CountingPort();
    const loaders = createLoaders(port);
    const latestKey = { datastoreId: ds, imageSetId: ctSet };
    const versionKey = { ...latestKey, versionId: '1' };
    const pageKey = { datastoreId: ds, imageSetId: ctSet, maxResults: 10 };
    const otherPageKey = { datastoreId: ds, imageSetId: mrSet, maxResults: 10 };
    await loaders.imageSet.load(latestKey);
    await loaders.imageSet.load(versionKey);
    await loaders.versionsPage.load(pageKey);
    await loaders.versionsPage.load(otherPageKey);

    loaders.afterWrite(ds, ctSet);

    await loaders.imageSet.load(latestKey);
    await loaders.imageSet.load(versionKey);
    await loaders.versionsPage.load(pageKey);
    await loaders.versionsPage.load(otherPageKey);
    expect(port.count('getImageSet', ds, ctSet, undefined)).toBe(2);
    expect(port.count('getImageSet', ds, ctSet, '1')).toBe(2);
    expect(port.count('listImageSetVersions', ds, ctSet, 10, undefined)).toBe(2);
    expect(port.count('listImageSetVersions', ds, mrSet, 10, undefined)).toBe(1);
  });

  it('after a copy forgets both sides', async () => {
    const port = new CountingPort();
    const loaders = createLoaders(port);
    await loaders.imageSet.loadMany([
      { datastoreId: ds, imageSetId: ctSet },
      { datastoreId: ds, imageSetId: mrSet },
    ]);
    loaders.afterWrite(ds, ctSet, mrSet);
    await loaders.imageSet.loadMany([
      { datastoreId: ds, imageSetId: ctSet },
      { datastoreId: ds, imageSetId: mrSet },
    ]);
    expect(port.count('getImageSet', ds, ctSet, undefined)).toBe(2);
    expect(port.count('getImageSet', ds, mrSet, undefined)).toBe(2);
  });

  it('after a write without a record re-reads the latest version', async () => {
    const port = new CountingPort();
    const loaders = createLoaders(port);
    await loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet });
    port.latest[ctSet] = '5';
    loaders.afterWrite(ds, ctSet);
    const latest = await loaders.imageSet.load({ datastoreId: ds, imageSetId: ctSet });
    expect(latest.versionId).toBe('5');
    expect(port.count('getImageSet', ds, ctSet, undefined)).toBe(2);
  });
});
