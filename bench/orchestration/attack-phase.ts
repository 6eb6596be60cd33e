import { performance } from 'node:perf_hooks';
import { attackDocuments, type AttackDocument } from '../attacks/attack-documents';
import { callDelta } from '../hil/hil-process';
import { httpRequest } from '../lib/http-client';
import type { PacedLoad } from '../loadgen/protocol';
import type { AttackDocumentFacts, AttackRound, AttackSample, Measurement } from '../report/result-types';
import { graphqlRequest, readRequest } from '../workloads/read-requests';
import type { BenchContext } from './bench-context';
import { loadRunSummary } from './load-run-summary';

const MAX_IN_FLIGHT = 64;
/** The (a) run is under way this long before the first attack, and goes on this long after the last. */
const LEAD_MS = 500;
const TAIL_MS = 700;
/** Attacks go one at a time, one every this many ms: each is timed alone, under (a)'s load only. */
const SPACING_MS = 40;
/** Sends of each document to the idle gateway: the refusal's own cost, without (a)'s queue in front of it. */
const IDLE_REPEATS = 3;
/** (a)'s operations of the gateway: anything else upstream during the attack run came from an attack. */
const WORKLOAD_OPERATIONS = new Set(['GetImageSet', 'ListImageSetVersions']);

export function attackDocumentsOf(ctx: BenchContext): AttackDocument[] {
  return attackDocuments({
    readDatastoreId: ctx.fixture.reads.datastoreId,
    writeDatastoreId: ctx.fixture.writes.datastoreId,
  });
}

export function attackFacts(documents: AttackDocument[]): AttackDocumentFacts[] {
  return documents.map((d) => ({
    name: d.name,
    description: d.description,
    bytes: Buffer.byteLength(JSON.stringify({ query: d.query })),
    anonymous: d.anonymous === true,
  }));
}

/**
 * The attack documents against the round's gateway while (a) runs at its fixed rate (0 ms
 * upstream): each sent `attackRepeats` times, one at a time, round-robin over the documents, and
 * timed at the attacker; (a)'s latency with the attacks is compared with a run of the same rate
 * and length without them (the order of the two alternates per round).
 */
export async function runAttackPhase(
  ctx: BenchContext,
  round: number,
  gateway: { baseUrl: string; expectedViewerHeader: string },
  roundMeasurements: Measurement[],
): Promise<AttackRound> {
  const { config, log } = ctx;
  await ctx.hil.setLatency(0);
  const documents = attackDocumentsOf(ctx);
  const sends = documents.length * config.attackRepeats;
  // Twice the schedule's length: on a busy machine a refusal can take longer than the spacing,
  // and every attack must still be sent while (a) runs (those that are not are reported apart).
  const durationS = Math.ceil((2 * (LEAD_MS + sends * SPACING_MS) + TAIL_MS) / 1000);
  const mainRun = roundMeasurements.find(
    (m) =>
      m.round === round &&
      m.upstreamLatencyMs === 0 &&
      m.workload === 'viewer-header' &&
      m.variant === 'gateway' &&
      m.kind === 'fixed-rate',
  );
  const rate =
    mainRun?.offeredRate ?? (await halfOfGatewayCapacity(ctx, gateway.baseUrl, gateway.expectedViewerHeader));
  const mode: PacedLoad = { kind: 'paced', operationsPerSecond: rate, durationS, maxInFlight: MAX_IN_FLIGHT };
  const scenario = {
    kind: 'fixed' as const,
    steps: [
      {
        request: readRequest('viewer-header', 'graphql', ctx.readTargets, ctx.tenant.apiKey),
        expectedBody: gateway.expectedViewerHeader,
      },
    ],
  };

  const plain = async () => {
    await ctx.hil.quiesce();
    return loadRunSummary(mode, await ctx.loadgen.run({ baseUrl: gateway.baseUrl, scenario, mode }));
  };
  const attacked = async () => {
    await ctx.hil.quiesce();
    const callsBefore = await ctx.hil.callCounts();
    const loadStarted = performance.now();
    const load = ctx.loadgen.run({ baseUrl: gateway.baseUrl, scenario, mode });
    const samples = await sendAttacks(ctx, round, gateway.baseUrl, documents, {
      phase: 'load',
      repeats: config.attackRepeats,
      startedAt: loadStarted,
      loadMs: durationS * 1000,
    });
    const result = await load;
    await ctx.hil.quiesce();
    const calls = callDelta(callsBefore, await ctx.hil.callCounts());
    const beside = Object.fromEntries(
      Object.entries(calls.operations).filter(([operation]) => !WORKLOAD_OPERATIONS.has(operation)),
    );
    return { summary: loadRunSummary(mode, result), samples, beside };
  };

  await ctx.hil.quiesce();
  const idle = await sendAttacks(ctx, round, gateway.baseUrl, documents, {
    phase: 'idle',
    repeats: Math.min(IDLE_REPEATS, config.attackRepeats),
    startedAt: performance.now(),
    loadMs: 0,
  });
  let withoutAttack;
  let withAttack;
  if (round % 2 === 1) {
    withoutAttack = await plain();
    withAttack = await attacked();
  } else {
    withAttack = await attacked();
    withoutAttack = await plain();
  }
  const worst = Math.max(...withAttack.samples.map((s) => s.latencyMs));
  const idleWorst = Math.max(...idle.map((s) => s.latencyMs));
  log(
    `  r${round} attacks: ${withAttack.samples.length} sent alongside (a) at ${rate.toFixed(1)}/s; slowest refusal ${worst.toFixed(1)} ms (idle: ${idleWorst.toFixed(1)} ms); ` +
      `(a) p99 ${withoutAttack.latencyMs.p99.toFixed(1)} ms without, ${withAttack.summary.latencyMs.p99.toFixed(1)} ms with` +
      `${withAttack.summary.void || withoutAttack.void ? ' (a VOID run)' : ''}`,
  );
  return {
    round,
    withoutAttack,
    withAttack: withAttack.summary,
    samples: [...idle, ...withAttack.samples],
    upstreamCallsBesideWorkload: withAttack.beside,
  };
}

async function sendAttacks(
  ctx: BenchContext,
  round: number,
  baseUrl: string,
  documents: AttackDocument[],
  plan: { phase: AttackSample['phase']; repeats: number; startedAt: number; loadMs: number },
): Promise<AttackSample[]> {
  const loadStarted = plan.startedAt;
  const samples: AttackSample[] = [];
  const requests = documents.map((d) => {
    const request = graphqlRequest(ctx.tenant.apiKey, d.query, {});
    if (d.anonymous) delete request.headers['x-api-key'];
    return { document: d, request: { ...request, body: JSON.stringify({ query: d.query }) } };
  });
  const sends = documents.length * plan.repeats;
  for (let i = 0; i < sends; i++) {
    const due = loadStarted + (plan.phase === 'load' ? LEAD_MS : 0) + i * SPACING_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const next = requests[i % requests.length];
    if (next === undefined) break;
    const { document, request } = next;
    const sentAt = performance.now();
    const answer = await httpRequest(baseUrl, request, 30_000);
    const latencyMs = performance.now() - sentAt;
    samples.push({
      round,
      attack: document.name,
      sentAtMs: sentAt - loadStarted,
      latencyMs,
      status: answer.status,
      phase: plan.phase,
      duringLoad: plan.phase === 'load' && sentAt - loadStarted < plan.loadMs,
      ...refusalOf(answer.body),
    });
  }
  return samples;
}

function refusalOf(body: string): Pick<AttackSample, 'errorCount' | 'code' | 'limit' | 'maximum'> {
  try {
    const parsed = JSON.parse(body) as {
      errors?: Array<{ extensions?: { code?: unknown; limit?: unknown; maximum?: unknown } }>;
    };
    const errors = parsed.errors ?? [];
    const extensions = errors[0]?.extensions ?? {};
    return {
      errorCount: errors.length,
      ...(typeof extensions.code === 'string' ? { code: extensions.code } : {}),
      ...(typeof extensions.limit === 'string' ? { limit: extensions.limit } : {}),
      ...(typeof extensions.maximum === 'number' ? { maximum: extensions.maximum } : {}),
    };
  } catch {
    return { errorCount: 0, code: 'NOT_JSON' };
  }
}

/** Without a main (a) run this round: half of what the gateway answers at 10 connections, as the main runs would offer. */
async function halfOfGatewayCapacity(ctx: BenchContext, baseUrl: string, expectedBody: string): Promise<number> {
  const scenario = {
    kind: 'fixed' as const,
    steps: [{ request: readRequest('viewer-header', 'graphql', ctx.readTargets, ctx.tenant.apiKey), expectedBody }],
  };
  const result = await ctx.loadgen.run({
    baseUrl,
    scenario,
    mode: { kind: 'closed', connections: 10, durationS: Math.max(1, ctx.config.durationS) },
  });
  return Math.max(1, result.operationsPerSecond * ctx.config.rateFraction);
}
