import { MetadataCache } from '../../../src/imaging/metadata-cache';
import { MetadataCacheReads } from '../../../src/imaging/metadata-cache-reads';
import type { ImageSetVersionRecord, MetadataDocument } from '../../../src/imaging/records';
import { decodeMetadata } from '../../../src/imaging/upstream/metadata-decode';
import { GatewayMetrics } from '../../../src/metrics/gateway-metrics';
import { parsePrometheusText, sampleValue } from '../../support/prometheus-text';

const ds = 'a'.repeat(32);
const set = 'b'.repeat(32);

/** A decoded document of about `bytes` JSON bytes (decodeMetadata records its size, as a download does). */
async function documentOf(description: string, bytes = 100): Promise<MetadataDocument> {
  const json = JSON.stringify({
    SchemaVersion: '1.1',
    DatastoreID: ds,
    ImageSetID: set,
    Patient: { DICOM: {} },
    Study: { DICOM: { StudyDescription: description.padEnd(bytes, ' ') }, Series: {} },
  });
  return decodeMetadata(Buffer.from(json));
}

function record(versionId: string, workflowStatus: string, state = 'ACTIVE'): ImageSetVersionRecord {
  return { datastoreId: ds, imageSetId: set, versionId, state, workflowStatus, forced: false };
}

describe('MetadataCache', () => {
  it('holds documents up to its size in JSON bytes, least recently used leaving first, and counts it', async () => {
    const cache = new MetadataCache(1000);
    const docs = await Promise.all(['one', 'two', 'three'].map((d) => documentOf(d, 380)));
    docs.forEach((doc, i) => cache.set(`k${i}`, doc, 450));
    expect(cache.get('k0')).toBeUndefined();
    expect(cache.get('k1')).toBe(docs[1]);
    expect(cache.get('k2')).toBe(docs[2]);
    expect(cache.stats()).toEqual({ hits: 2, misses: 1, evictions: 1, bytes: 900, entries: 2 });
  });

  it('keeps nothing when its size is 0', async () => {
    const cache = new MetadataCache(0);
    cache.set('k', await documentOf('x'), 100);
    expect(cache.has('k')).toBe(false);
  });

  it('shows its counters as Prometheus metrics', async () => {
    const cache = new MetadataCache(1000);
    cache.set('k', await documentOf('x'), 120);
    cache.get('k');
    cache.get('absent');
    const metrics = new GatewayMetrics({ processMetrics: false });
    metrics.observeMetadataCache(cache);
    const samples = parsePrometheusText((await metrics.scrape()).body);
    expect(sampleValue(samples, 'gateway_metadata_cache_hits_total')).toBe(1);
    expect(sampleValue(samples, 'gateway_metadata_cache_misses_total')).toBe(1);
    expect(sampleValue(samples, 'gateway_metadata_cache_evictions_total')).toBe(0);
    expect(sampleValue(samples, 'gateway_metadata_cache_bytes')).toBe(120);
    expect(sampleValue(samples, 'gateway_metadata_cache_entries')).toBe(1);
  });
});

describe('MetadataCacheReads', () => {
  function setup() {
    const cache = new MetadataCache();
    const downloads: string[] = [];
    const reads = new MetadataCacheReads(cache, async (_ds, _set, versionId) => {
      downloads.push(versionId ?? 'latest');
      return documentOf(`v${versionId}`);
    });
    return { cache, downloads, reads };
  }

  it('keeps and serves a version the request saw settled, on evidence this reader vouched for', async () => {
    const { downloads, reads } = setup();
    const evidence = reads.vouch(record('1', 'IMPORTED'));
    const first = await reads.read(ds, set, '1', evidence);
    expect(await reads.read(ds, set, '1', evidence)).toBe(first);
    expect(reads.isCached(ds, set, '1')).toBe(true);
    expect(downloads).toEqual(['1']);
  });

  it.each([
    ['a version being written', record('2', 'UPDATING', 'LOCKED')],
    ['a copy destination being written', record('2', 'COPYING', 'LOCKED')],
    ['a deleted image set', record('2', 'DELETED', 'DELETED')],
    ['a status this gateway does not know', record('2', 'SOMETHING_NEW')],
  ])('neither keeps nor serves %s', async (_what, unsettled) => {
    const { downloads, reads } = setup();
    const evidence = reads.vouch(unsettled);
    await reads.read(ds, set, '2', evidence);
    await reads.read(ds, set, '2', evidence);
    expect(reads.isCached(ds, set, '2')).toBe(false);
    expect(downloads).toEqual(['2', '2']);
  });

  it('ignores evidence it did not vouch for, or of another version, and never caches the latest', async () => {
    const { downloads, reads } = setup();
    await reads.read(ds, set, '1', reads.vouch(record('1', 'IMPORTED')));
    await reads.read(ds, set, '1', record('1', 'IMPORTED'));
    await reads.read(ds, set, '1', reads.vouch(record('3', 'UPDATED')));
    await reads.read(ds, set, '1', undefined);
    await reads.read(ds, set, undefined, undefined);
    expect(downloads).toEqual(['1', '1', '1', '1', 'latest']);
  });

  it('does not keep a download that started before the version was seen settled', async () => {
    const cache = new MetadataCache();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const downloads: string[] = [];
    const reads = new MetadataCacheReads(cache, async (_ds, _set, versionId) => {
      downloads.push(versionId ?? 'latest');
      await gate;
      return documentOf(`v${versionId}`);
    });
    const early = reads.read(ds, set, '2', undefined);
    const settled = reads.read(ds, set, '2', reads.vouch(record('2', 'UPDATED')));
    release();
    await Promise.all([early, settled]);
    expect(downloads).toEqual(['2', '2']);
    expect(reads.isCached(ds, set, '2')).toBe(true);
  });
});
