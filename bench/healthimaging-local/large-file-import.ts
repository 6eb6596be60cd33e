/**
 * One 200 MB DICOM file (a single MR instance of 6,400 frames of 128 x 128 x 16 bits) imported
 * by a HealthImaging Local in its own process, measuring what the import costs the server:
 * import time, the server's peak RSS (VmHWM) against its RSS before and after, and the longest
 * event-loop stall, seen from outside as the slowest of back-to-back `/_hil/health` pings sent
 * throughout the job (a blocked loop answers nothing until it is free again), against the slowest
 * ping over as long a time before the job: on shared, busy CPUs that floor is tens of
 * milliseconds with nothing running in the server at all. Compiled, it also samples the loop's
 * delay inside the server (loop-delay-probe), before and during the job.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/healthimaging-local/large-file-import.js [--frames 6400] [--idle-seconds 5]
 */
import {
  CreateDatastoreCommand,
  GetDatastoreCommand,
  GetDICOMImportJobCommand,
  MedicalImagingClient,
  StartDICOMImportJobCommand,
} from '@aws-sdk/client-medical-imaging';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_ACCESS_KEY } from '../../healthimaging-local';
import { writeStudy, type SyntheticStudySpec } from '../../scripts/synthetic-studies';
import { spawnHil } from './spawn-hil';

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

/** Sends back-to-back health pings until `stop` says so; the slowest round trip and how many. */
async function pingUntil(url: string, stop: () => boolean): Promise<{ slowestMs: number; pings: number }> {
  let slowestMs = 0;
  let pings = 0;
  while (!stop()) {
    const t = performance.now();
    await fetch(`${url}/_hil/health`).then((r) => r.arrayBuffer());
    slowestMs = Math.max(slowestMs, performance.now() - t);
    pings++;
  }
  return { slowestMs, pings };
}

/** The server's largest and p99 event-loop delay since the previous call (compiled bench only). */
async function loopDelay(pid: number, file: string | undefined): Promise<{ maxMs: number; p99Ms: number } | undefined> {
  if (!file) return undefined;
  rmSync(file, { force: true });
  process.kill(pid, 'SIGUSR2');
  const until = performance.now() + 5000;
  while (!existsSync(file) && performance.now() < until) await new Promise((r) => setTimeout(r, 10));
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { maxMs: number; p99Ms: number }) : undefined;
}

function memoryMb(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string): number => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rss: Math.round(kb('VmRSS') / 1024), peak: Math.round(kb('VmHWM') / 1024) };
}

async function main(): Promise<void> {
  const frames = arg('frames', 6400);
  const dataDir = mkdtempSync(join(tmpdir(), 'hil-bench-large-'));
  const spec: SyntheticStudySpec = {
    patient: { name: 'Bench^Large', id: 'BENCH-LARGE', birthDate: '19700101', sex: 'O' },
    accessionNumber: 'BENCHLARGE',
    studyId: 'LARGE1',
    studyDate: '20240101',
    studyDescription: 'LARGE FILE',
    series: [
      {
        modality: 'MR',
        seriesNumber: 1,
        description: 'multi-frame',
        bodyPart: 'HEAD',
        instances: 1,
        rows: 128,
        columns: 128,
        frames,
      },
    ],
    seed: 'bench-large',
  };
  const [file] = await writeStudy(join(dataDir, 's3', 'bench', 'large'), spec);
  if (file === undefined) throw new Error('the large study wrote no file');
  const fileMb = Math.round(statSync(file).size / 1024 / 1024);

  const probe = join(__dirname, 'loop-delay-probe.js');
  const delayFile = __filename.endsWith('.js') && existsSync(probe) ? join(dataDir, 'loop-delay.json') : undefined;
  if (delayFile) {
    process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ''} --require ${probe}`.trim();
    process.env.HIL_LOOP_DELAY_FILE = delayFile;
  }
  const hil = await spawnHil(['--port', '0', '--data-dir', dataDir, '--datastore-delay-ms', '0']);
  const client = new MedicalImagingClient({
    region: 'us-east-1',
    endpoint: hil.url,
    disableHostPrefix: true,
    maxAttempts: 1,
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY.accessKeyId, secretAccessKey: DEFAULT_ACCESS_KEY.secretAccessKey },
  });
  try {
    const { datastoreId } = await client.send(new CreateDatastoreCommand({ datastoreName: 'bench-large' }));
    while (
      (await client.send(new GetDatastoreCommand({ datastoreId }))).datastoreProperties?.datastoreStatus !== 'ACTIVE'
    ) {
      await new Promise((r) => setTimeout(r, 20));
    }
    await loopDelay(hil.pid, delayFile);
    const idleUntil = performance.now() + arg('idle-seconds', 5) * 1000;
    const idle = await pingUntil(hil.url, () => performance.now() >= idleUntil);
    const idleLoop = await loopDelay(hil.pid, delayFile);
    const before = memoryMb(hil.pid);
    const started = performance.now();
    const { jobId } = await client.send(
      new StartDICOMImportJobCommand({
        datastoreId,
        dataAccessRoleArn: 'arn:aws:iam::123456789012:role/Bench',
        inputS3Uri: 's3://bench/large/',
        outputS3Uri: 's3://bench/large-out/',
      }),
    );
    let done = false;
    const pinger = pingUntil(hil.url, () => done);
    let status: string | undefined;
    while (status !== 'COMPLETED' && status !== 'FAILED') {
      await new Promise((r) => setTimeout(r, 50));
      status = (await client.send(new GetDICOMImportJobCommand({ datastoreId, jobId }))).jobProperties?.jobStatus;
    }
    const importSeconds = +((performance.now() - started) / 1000).toFixed(2);
    done = true;
    const { slowestMs, pings } = await pinger;
    const jobLoop = await loopDelay(hil.pid, delayFile);
    const afterJob = memoryMb(hil.pid);
    await new Promise((r) => setTimeout(r, 5000));
    const settled = memoryMb(hil.pid);
    process.stdout.write(
      `${JSON.stringify(
        {
          fileMb,
          frames,
          status,
          importSeconds,
          rssBeforeMb: before.rss,
          peakRssMb: afterJob.peak,
          rssAfterJobMb: afterJob.rss,
          rssAfter5sMb: settled.rss,
          slowestHealthPingMs: Math.round(slowestMs),
          pings,
          slowestIdlePingMs: Math.round(idle.slowestMs),
          idlePings: idle.pings,
          ...(jobLoop && idleLoop
            ? {
                serverLoopDelayMaxMs: jobLoop.maxMs,
                serverLoopDelayP99Ms: jobLoop.p99Ms,
                idleServerLoopDelayMaxMs: idleLoop.maxMs,
                idleServerLoopDelayP99Ms: idleLoop.p99Ms,
              }
            : {}),
        },
        null,
        2,
      )}\n`,
    );
  } finally {
    client.destroy();
    await hil.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
