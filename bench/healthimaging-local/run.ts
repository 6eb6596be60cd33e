import {
  CreateDatastoreCommand,
  GetDatastoreCommand,
  GetDICOMImportJobCommand,
  GetImageSetCommand,
  GetImageSetMetadataCommand,
  ListImageSetVersionsCommand,
  MedicalImagingClient,
  SearchImageSetsCommand,
  StartDICOMImportJobCommand,
  UpdateImageSetMetadataCommand,
} from '@aws-sdk/client-medical-imaging';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_ACCESS_KEY } from '../../healthimaging-local/options';
import { largeStudySpec, smallCtStudy, writeStudy } from '../../scripts/synthetic-studies';
import { spawnHil } from './spawn-hil';

/**
 * HealthImaging Local benchmark (not a test): read throughput through the real SDK with
 * keep-alive and 32 concurrent callers, plus the time and server peak memory to import a
 * synthetic 2,000-instance study and to serve its metadata.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/healthimaging-local/run.js [--seconds 5] [--instances 2000]
 */
const CONCURRENCY = 32;
const TARGETS = { getImageSetPerSecond: 2000, metadataMs: 100, importSeconds: 20 };

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return Math.round(kb / 1024);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

async function until<T>(check: () => Promise<T | undefined>, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function load(seconds: number, call: () => Promise<unknown>) {
  const latencies: number[] = [];
  const end = Date.now() + seconds * 1000;
  let errors = 0;
  const worker = async (): Promise<void> => {
    while (Date.now() < end) {
      const t0 = performance.now();
      try {
        await call();
        latencies.push(performance.now() - t0);
      } catch {
        errors += 1;
      }
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  const elapsed = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    requestsPerSecond: Math.round(latencies.length / elapsed),
    p50Ms: +percentile(latencies, 50).toFixed(2),
    p99Ms: +percentile(latencies, 99).toFixed(2),
    errors,
  };
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 5);
  const instances = arg('instances', 2000);
  const dataDir = mkdtempSync(join(tmpdir(), 'hil-bench-'));
  const hil = await spawnHil(['--port', '0', '--data-dir', dataDir, '--write-delay-ms', '0', '--datastore-delay-ms', '0']);
  const client = new MedicalImagingClient({
    region: 'us-east-1',
    endpoint: hil.url,
    disableHostPrefix: true,
    maxAttempts: 1,
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY.accessKeyId, secretAccessKey: DEFAULT_ACCESS_KEY.secretAccessKey },
    requestHandler: new NodeHttpHandler({ httpAgent: new Agent({ keepAlive: true, maxSockets: CONCURRENCY }) }),
  });
  try {
    const { datastoreId } = await client.send(new CreateDatastoreCommand({ datastoreName: 'bench' }));
    await until(async () =>
      (await client.send(new GetDatastoreCommand({ datastoreId }))).datastoreProperties?.datastoreStatus === 'ACTIVE' ? true : undefined,
    );
    const importJob = async (prefix: string, spec: typeof smallCtStudy) => {
      const t0 = Date.now();
      await writeStudy(join(dataDir, 's3', 'bench', prefix), spec);
      const generatedMs = Date.now() - t0;
      const t1 = performance.now();
      const { jobId } = await client.send(
        new StartDICOMImportJobCommand({
          datastoreId,
          dataAccessRoleArn: 'arn:aws:iam::123456789012:role/Bench',
          inputS3Uri: `s3://bench/${prefix}/`,
          outputS3Uri: `s3://bench/${prefix}-out/`,
        }),
      );
      const status = await until(async () => {
        const s = (await client.send(new GetDICOMImportJobCommand({ datastoreId, jobId }))).jobProperties?.jobStatus;
        return s === 'COMPLETED' || s === 'FAILED' ? s : undefined;
      }, 600_000);
      return { status, generatedMs, importSeconds: +((performance.now() - t1) / 1000).toFixed(2) };
    };

    // 1. The large import first, so the server's peak RSS afterwards is the import's peak.
    const large = await importJob('large', largeStudySpec(instances));
    const importPeakRssMb = peakRssMb(hil.pid);
    const found = await client.send(
      new SearchImageSetsCommand({ datastoreId, searchCriteria: { filters: [{ operator: 'EQUAL', values: [{ DICOMAccessionNumber: 'BENCH0001' }] }] } }),
    );
    const largeId = found.imageSetsMetadataSummaries![0].imageSetId!;

    // 2. Metadata of the large image set, sequentially (latency, not throughput).
    const metadataMs: number[] = [];
    let documentBytes = 0;
    let gzipBytes = 0;
    let instancesInDoc = 0;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const out = await client.send(new GetImageSetMetadataCommand({ datastoreId, imageSetId: largeId }));
      const gz = await out.imageSetMetadataBlob!.transformToByteArray();
      metadataMs.push(performance.now() - t0);
      gzipBytes = gz.length;
      const json = gunzipSync(gz);
      documentBytes = json.length;
      const doc = JSON.parse(json.toString('utf8')) as { Study: { Series: Record<string, { Instances: object }> } };
      instancesInDoc = Object.values(doc.Study.Series).reduce((n, s) => n + Object.keys(s.Instances).length, 0);
    }
    metadataMs.sort((a, b) => a - b);

    // 3. Read throughput on a small image set with a 10-version history.
    await importJob('small', smallCtStudy);
    const small = await client.send(
      new SearchImageSetsCommand({ datastoreId, searchCriteria: { filters: [{ operator: 'EQUAL', values: [{ DICOMAccessionNumber: smallCtStudy.accessionNumber }] }] } }),
    );
    const imageSetId = small.imageSetsMetadataSummaries![0].imageSetId!;
    for (let v = 1; v < 10; v++) {
      await client.send(
        new UpdateImageSetMetadataCommand({
          datastoreId,
          imageSetId,
          latestVersionId: String(v),
          updateImageSetMetadataUpdates: {
            DICOMUpdates: { updatableAttributes: new TextEncoder().encode(JSON.stringify({ SchemaVersion: 1.1, Study: { DICOM: { StudyDescription: `v${v + 1}` } } })) },
          },
        }),
      );
      await until(async () => ((await client.send(new GetImageSetCommand({ datastoreId, imageSetId }))).imageSetState === 'ACTIVE' ? true : undefined));
    }
    const getImageSet = await load(seconds, () => client.send(new GetImageSetCommand({ datastoreId, imageSetId })));
    const listVersions = await load(seconds, () => client.send(new ListImageSetVersionsCommand({ datastoreId, imageSetId })));

    const report = {
      concurrency: CONCURRENCY,
      getImageSet,
      listImageSetVersions: listVersions,
      largeStudy: {
        instances,
        instancesInDocument: instancesInDoc,
        importStatus: large.status,
        generateFilesMs: large.generatedMs,
        importSeconds: large.importSeconds,
        serverPeakRssMbAfterImport: importPeakRssMb,
        metadataJsonBytes: documentBytes,
        metadataGzipBytes: gzipBytes,
        metadataP50Ms: +percentile(metadataMs, 50).toFixed(2),
        metadataMaxMs: +metadataMs[metadataMs.length - 1].toFixed(2),
      },
      serverPeakRssMbAtEnd: peakRssMb(hil.pid),
      targets: TARGETS,
      meetsTargets: {
        getImageSet: getImageSet.requestsPerSecond >= TARGETS.getImageSetPerSecond,
        metadata: percentile(metadataMs, 50) < TARGETS.metadataMs,
        import: large.importSeconds < TARGETS.importSeconds,
      },
    };
    process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  } finally {
    client.destroy();
    await hil.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`benchmark failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
