import {
  CreateDatastoreCommand,
  GetDatastoreCommand,
  GetDICOMImportJobCommand,
  GetImageSetCommand,
  GetImageSetMetadataCommand,
  MedicalImagingClient,
  SearchImageSetsCommand,
  StartDICOMImportJobCommand,
  UpdateImageSetMetadataCommand,
} from '@aws-sdk/client-medical-imaging';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { fork } from 'node:child_process';
import { readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DEFAULT_ACCESS_KEY } from '../../healthimaging-local/options';
import { largeStudySpec, smallCtStudy, writeStudy } from '../../scripts/synthetic-studies';
import { runLoad, type LoadOrder, type LoadResult } from './sdk-load-worker';
import { replaySignedRead } from './server-capacity';
import { spawnHil, type SpawnedHil } from './spawn-hil';

/**
 * HealthImaging Local benchmark (not a test): read throughput through the real SDK with
 * keep-alive and 32 concurrent callers, plus the time and server peak memory to import a
 * synthetic 2,000-instance study and to serve its metadata.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/healthimaging-local/run.js [--seconds 5] [--instances 2000] [--load-processes N]
 *
 * The load runs in N processes (default: one per CPU beyond the server's, at least 2), since one process of
 * SDK callers saturates a core well before the server does.
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
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? Number.NaN;
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

function cpuMsOf(pid: number): number {
  // utime + stime, in clock ticks (USER_HZ, 100 on Linux) after the command name.
  const [, afterName = ''] = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ');
  const fields = afterName.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

/** Runs one load order in a child process (compiled benchmark) or, from source, in this one. */
function loadIn(order: LoadOrder, inProcess: boolean): Promise<LoadResult> {
  if (inProcess) return runLoad(order);
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'sdk-load-worker.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (result) => resolve(result as LoadResult));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load process exited with ${code}`))));
    child.send(order);
  });
}

/**
 * 32 SDK callers, split over `processes` load processes so that the SDK's own CPU cost (signing,
 * serialising, parsing: several times the server's per call) does not cap what is measured. Also
 * reports the CPU each side spent per request, which says where the ceiling is on this machine.
 */
async function load(
  hil: SpawnedHil,
  processes: number,
  seconds: number,
  order: Omit<LoadOrder, 'concurrency' | 'startAt' | 'seconds'>,
) {
  const inProcess = !__filename.endsWith('.js');
  const count = inProcess ? 1 : processes;
  const startAt = Date.now() + 1500;
  const shares = Array.from(
    { length: count },
    (_, i) => Math.floor(CONCURRENCY / count) + (i < CONCURRENCY % count ? 1 : 0),
  );
  const runs = shares.map((concurrency) => loadIn({ ...order, concurrency, startAt, seconds }, inProcess));
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startAt - Date.now())));
  const serverCpu0 = cpuMsOf(hil.pid);
  const results = await Promise.all(runs);
  const serverCpuMs = cpuMsOf(hil.pid) - serverCpu0;
  const latencies = results.flatMap((r) => r.latenciesMs).sort((a, b) => a - b);
  const requests = latencies.length;
  return {
    loadProcesses: count,
    requestsPerSecond: Math.round(requests / seconds),
    p50Ms: +percentile(latencies, 50).toFixed(2),
    p99Ms: +percentile(latencies, 99).toFixed(2),
    errors: results.reduce((n, r) => n + r.errors, 0),
    serverCpuMsPerRequest: +(serverCpuMs / requests).toFixed(3),
    sdkCpuMsPerRequest: +(results.reduce((n, r) => n + r.cpuMs, 0) / requests).toFixed(3),
  };
}

async function main(): Promise<void> {
  const seconds = arg('seconds', 5);
  const instances = arg('instances', 2000);
  const loadProcesses = arg('load-processes', Math.max(2, availableParallelism() - 1));
  const loadAverageAtStart = loadavg().map((n) => +n.toFixed(2));
  const dataDir = mkdtempSync(join(tmpdir(), 'hil-bench-'));
  const hil = await spawnHil([
    '--port',
    '0',
    '--data-dir',
    dataDir,
    '--write-delay-ms',
    '0',
    '--datastore-delay-ms',
    '0',
  ]);
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
      (await client.send(new GetDatastoreCommand({ datastoreId }))).datastoreProperties?.datastoreStatus === 'ACTIVE'
        ? true
        : undefined,
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
      new SearchImageSetsCommand({
        datastoreId,
        searchCriteria: { filters: [{ operator: 'EQUAL', values: [{ DICOMAccessionNumber: 'BENCH0001' }] }] },
      }),
    );
    const largeId = found.imageSetsMetadataSummaries?.[0]?.imageSetId;
    if (largeId === undefined) throw new Error('the large study was not found after its import');

    // 2. Metadata of the large image set, sequentially (latency, not throughput).
    const metadataMs: number[] = [];
    let documentBytes = 0;
    let gzipBytes = 0;
    let instancesInDoc = 0;
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      const out = await client.send(new GetImageSetMetadataCommand({ datastoreId, imageSetId: largeId }));
      const gz = await out.imageSetMetadataBlob.transformToByteArray();
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
      new SearchImageSetsCommand({
        datastoreId,
        searchCriteria: {
          filters: [{ operator: 'EQUAL', values: [{ DICOMAccessionNumber: smallCtStudy.accessionNumber }] }],
        },
      }),
    );
    const imageSetId = small.imageSetsMetadataSummaries?.[0]?.imageSetId;
    if (imageSetId === undefined) throw new Error('the small CT study was not found after its import');
    for (let v = 1; v < 10; v++) {
      await client.send(
        new UpdateImageSetMetadataCommand({
          datastoreId,
          imageSetId,
          latestVersionId: String(v),
          updateImageSetMetadataUpdates: {
            DICOMUpdates: {
              updatableAttributes: new TextEncoder().encode(
                JSON.stringify({ SchemaVersion: 1.1, Study: { DICOM: { StudyDescription: `v${v + 1}` } } }),
              ),
            },
          },
        }),
      );
      await until(async () =>
        (await client.send(new GetImageSetCommand({ datastoreId, imageSetId }))).imageSetState === 'ACTIVE'
          ? true
          : undefined,
      );
    }
    const credentials = {
      accessKeyId: DEFAULT_ACCESS_KEY.accessKeyId,
      secretAccessKey: DEFAULT_ACCESS_KEY.secretAccessKey,
    };
    const target = { url: hil.url, credentials, datastoreId: datastoreId!, imageSetId };
    const getImageSet = await load(hil, loadProcesses, seconds, { ...target, operation: 'GetImageSet' });
    const listVersions = await load(hil, loadProcesses, seconds, { ...target, operation: 'ListImageSetVersions' });
    const serverAlone = await replaySignedRead({
      url: hil.url,
      credentials,
      path: `/datastore/${datastoreId}/imageSet/${imageSetId}/getImageSet`,
      connections: CONCURRENCY,
      seconds,
    });

    const report = {
      machine: { cpus: cpus().length, loadAverageAtStart, loadAverageAtEnd: loadavg().map((n) => +n.toFixed(2)) },
      concurrency: CONCURRENCY,
      getImageSet,
      listImageSetVersions: listVersions,
      getImageSetServerAlone: serverAlone,
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
        metadataMaxMs: +(metadataMs[metadataMs.length - 1] ?? Number.NaN).toFixed(2),
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
