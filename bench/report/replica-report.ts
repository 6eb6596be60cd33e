import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { REPLICA_ARMS, type ReplicaCostResult } from '../orchestration/replica-cost';

/** Issue 8's target for the shared state: what the Redis round trips add to a request's p50. */
export const ADDED_P50_TARGET_MS = 0.5;

const ms = (value: number): string => (Number.isFinite(value) ? value.toFixed(2) : 'n/a');

export function replicaVerdict(result: ReplicaCostResult): { verdict: 'PASS' | 'MISS' | 'VOID'; evidence: string } {
  const added = result.addedP50Ms['redis-2'];
  return {
    verdict: result.saturated ? 'VOID' : added < ADDED_P50_TARGET_MS ? 'PASS' : 'MISS',
    evidence:
      (result.saturated ? 'a run fell behind its rate (queueing, not cost: lower BENCH_REPLICA_RATE); ' : '') +
      `two replicas over Redis vs one in memory, (a) at ${result.offeredRate}/s: added p50 ${ms(added)} ms ` +
      `(one replica over Redis: ${ms(result.addedP50Ms['redis-1'])} ms; Redis PING p50 ${result.redisPingMs.p50.toFixed(3)} ms)`,
  };
}

export function replicaMarkdown(result: ReplicaCostResult, startedAt: Date): string {
  const { verdict, evidence } = replicaVerdict(result);
  const rows = REPLICA_ARMS.map((name) => {
    const arm = result.arms[name];
    const runs = result.runs.filter((run) => run.arm === name);
    return `| ${name} | ${ms(arm.p50Ms)} | ${ms(arm.p99Ms)} | ${runs.map((run) => ms(run.latencyMs.p50)).join(' / ')} | ${ms(arm.cpuMsPerOperation)} | ${arm.redisScriptCallsPerOperation.toFixed(1)} | ${arm.redisCommandsPerOperation.toFixed(1)} |`;
  });
  return [
    `# Shared state in Redis: the cost per request (${startedAt.toISOString().slice(0, 10)})`,
    '',
    `(a) viewer header, ${result.offeredRate} operations/s open loop for ${result.durationS} s, ${result.pairs} runs per arm ` +
      `(arms rotated), through the same round-robin proxy; 0 ms upstream latency; ${cpus().length} cores, ` +
      `load average ${result.loadAverageAtStart.map((value) => value.toFixed(2)).join(' ')} at the start, ` +
      `${result.loadAverageAtEnd.map((value) => value.toFixed(2)).join(' ')} at the end.`,
    '',
    '| arm | p50 ms (median) | p99 ms (median) | p50 per run | gateway CPU ms/op | Redis round trips/op | Redis commands/op |',
    '| --- | ---: | ---: | --- | ---: | ---: | ---: |',
    ...rows,
    '',
    `**${verdict}** added p50 under ${ADDED_P50_TARGET_MS} ms: ${evidence}.`,
    '',
    'Redis figures come from the server-wide counters (INFO commandstats), so other clients of the same',
    "Redis during a run count too (the memory arm's figures are that background). Round trips are the",
    'EVALSHA calls (one per limiter or budget take); commands include those the scripts run inside Redis.',
    '',
  ].join('\n');
}

/** Writes `<date>-replicas.json` and `.md` into the results folder; returns their paths. */
export function writeReplicaReport(result: ReplicaCostResult, outDir: string, startedAt: Date): string[] {
  mkdirSync(outDir, { recursive: true });
  const base = join(outDir, `${startedAt.toISOString().slice(0, 10)}-replicas`);
  writeFileSync(`${base}.json`, `${JSON.stringify({ startedAt: startedAt.toISOString(), ...result }, null, 2)}\n`);
  writeFileSync(`${base}.md`, replicaMarkdown(result, startedAt));
  return [`${base}.json`, `${base}.md`];
}
