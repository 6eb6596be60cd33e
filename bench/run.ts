import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { loadBenchConfig } from './config/bench-config';
import { prepareFixture } from './fixture/bench-fixture';
import { writeBenchTenant } from './fixture/bench-tenant';
import { setupClient } from './fixture/hil-client';
import { HilProcess } from './hil/hil-process';
import { closeHttpClient } from './lib/http-client';
import { DIST_ROOT } from './lib/dist-paths';
import { LoadGenerator } from './loadgen/loadgen-client';
import type { BenchContext } from './orchestration/bench-context';
import { calibrate, readTargetsOf } from './orchestration/calibrate';
import { runRound } from './orchestration/run-round';
import { freshWritePool } from './orchestration/write-pool-state';
import { attackDocumentsOf, attackFacts } from './orchestration/attack-phase';
import { probeAuditAppend } from './orchestration/audit-append-probe';
import { runFairSharePart } from './fair-share/fair-share-part';
import { runReplicaPhase } from './orchestration/replica-phase';
import { analyze } from './report/analyze';
import { findPreviousResults } from './report/previous-run';
import { writeReports } from './report/write-reports';
import type {
  AttackRound,
  AuditCostRun,
  BenchResults,
  CallCount,
  Measurement,
  RoundFacts,
} from './report/result-types';

/**
 * `npm run bench`: HealthImaging Local, the four measured servers and the load generator, each in
 * its own process on 127.0.0.1; rounds of interleaved runs; results, table, chart and target
 * verdicts written to bench/results/.
 */
/** Appends of the isolated audit-trail probe. */
const AUDIT_PROBE_APPENDS = 300;

async function main(): Promise<void> {
  const startedAt = new Date();
  // Read now: the results object is built after the rounds, when the load is the run's own.
  const loadAverageAtStart = loadavg();
  const repoRoot = resolve(DIST_ROOT, '..');
  const config = loadBenchConfig(process.env, join(repoRoot, 'bench', 'results'));
  const log = (line: string): void => void process.stdout.write(`${line}\n`);
  const workDir = mkdtempSync(join(tmpdir(), 'hil-bench-'));
  const s3Dir = join(workDir, 's3');
  mkdirSync(s3Dir);
  const accessKey = {
    accessKeyId: `AKIABENCH${randomBytes(6).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  };

  log(
    `bench: ${config.rounds} rounds, ${config.durationS} s per run, connections ${config.connections.join('/')}, upstream latency ${config.upstreamLatenciesMs.join('/')} ms`,
  );
  const hil = await HilProcess.start({ s3Dir, accessKey });
  const loadgen = await LoadGenerator.start();
  try {
    const client = setupClient(hil.url, accessKey);
    log('setting up data in HealthImaging Local…');
    const fixture = await prepareFixture({ client, s3Dir, log: (line) => log(`  ${line}`) });
    const tenant = writeBenchTenant({
      path: join(workDir, 'tenants.json'),
      hilUrl: hil.url,
      accessKey,
      datastoreIds: [fixture.reads.datastoreId, fixture.large.datastoreId, fixture.writes.datastoreId],
      ...(config.tenantMaxConcurrency !== undefined ? { maxConcurrency: config.tenantMaxConcurrency } : {}),
    });
    const readTargets = readTargetsOf(fixture);
    const floorBodiesFile = join(workDir, 'floor-bodies.json');
    const partial = {
      config,
      hil,
      setupClient: client,
      fixture,
      tenant,
      loadgen,
      readTargets,
      floorBodiesFile,
      workDir,
      log,
    };
    // BENCH_PARTS=replicas: the replica phase alone, without the variant matrix.
    if (!config.parts.includes('rounds')) return await runReplicaPhase(partial, startedAt);
    const [writeTarget] = await freshWritePool({
      ...partial,
      references: {} as BenchContext['references'],
      floorBodies: {},
    });
    if (writeTarget === undefined) throw new Error('the write pool is empty');
    log('calibrating: reference answers from the hand-written server…');
    const { references, floorBodies } = await calibrate({
      tenant,
      readTargets,
      writeTarget: writeTarget,
      floorBodiesFile,
    });
    const ctx: BenchContext = { ...partial, references, floorBodies };

    // Before any server runs: the trail's append alone, on a quiet machine.
    const auditAppendProbe = config.auditPairs > 0 ? await probeAuditAppend(workDir, AUDIT_PROBE_APPENDS) : undefined;
    if (auditAppendProbe)
      log(
        `audit append alone (SQLite, ${AUDIT_PROBE_APPENDS} appends): p50 ${auditAppendProbe.latencyMs.p50.toFixed(2)} ms, p99 ${auditAppendProbe.latencyMs.p99.toFixed(2)} ms`,
      );
    const rounds: RoundFacts[] = [];
    const measurements: Measurement[] = [];
    const callCounts: CallCount[] = [];
    const auditCostRuns: AuditCostRun[] = [];
    const attackRounds: AttackRound[] = [];
    for (let round = 1; round <= config.rounds; round++) {
      log(`round ${round} of ${config.rounds}`);
      const output = await runRound(ctx, round);
      rounds.push(output.facts);
      measurements.push(...output.measurements);
      callCounts.push(...output.callCounts);
      auditCostRuns.push(...output.auditCostRuns);
      if (output.attackRound) attackRounds.push(output.attackRound);
    }

    const attackDocuments = attackFacts(attackDocumentsOf(ctx));
    const previousFile =
      config.previousResults ?? findPreviousResults(config.outDir, startedAt.toISOString().slice(0, 10));
    const analysis = analyze({
      config,
      rounds,
      measurements,
      callCounts,
      auditCostRuns,
      ...(auditAppendProbe ? { auditAppendProbe } : {}),
      attackDocuments,
      attackRounds,
      ...(previousFile ? { previousFile } : {}),
    });
    const results: BenchResults = {
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        platform: `${process.platform} ${process.arch}`,
        loadAverageAtStart,
      },
      config: { ...config },
      fixture: {
        readsImageSets: fixture.reads.imageSetCount,
        largeInstances: fixture.large.instanceCount,
        largeVersions: Number(fixture.large.latestVersionId),
        writePoolImageSets: fixture.writes.imageSetIds.length,
        responseBytes: Object.fromEntries(
          Object.entries(floorBodies).map(([route, body]) => [route, Buffer.byteLength(body)]),
        ),
      },
      rounds,
      callCounts,
      measurements,
      auditCostRuns,
      ...(auditAppendProbe ? { auditAppendProbe } : {}),
      attackDocuments,
      attackRounds,
      ...analysis,
    };
    results.machine.loadAverageAtEnd = loadavg();
    const written = writeReports(results, config.outDir);
    log('');
    for (const verdict of results.targets) log(`${verdict.verdict.padEnd(7)} ${verdict.target}: ${verdict.evidence}`);
    log('');
    log(`results: ${written.join(', ')}`);
    await runFairSharePart(log, config.outDir, startedAt);
    if (config.parts.includes('replicas')) await runReplicaPhase(partial, startedAt);
  } finally {
    await loadgen.stop();
    await hil.stop();
    closeHttpClient();
    rmSync(workDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
