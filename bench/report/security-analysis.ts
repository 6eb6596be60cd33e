import { median, quantileSorted, spread } from '../lib/stats';
import type {
  AttackDocumentFacts,
  AttackRound,
  AttackSummary,
  AuditAppendProbe,
  AuditCostRun,
  AuditCostSummary,
  TargetVerdict,
} from './result-types';

/** The audit trail's target: what it may add to (c)'s p50 (issue 7). */
export const AUDIT_ADDED_P50_TARGET_MS = 1;
/** Each attack document refused within this, at the attacker, while (a) runs. */
export const ATTACK_REFUSAL_TARGET_MS = 20;

const fmt = (values: { min: number; median: number; max: number }, digits = 2): string =>
  `${values.min.toFixed(digits)} / ${values.median.toFixed(digits)} / ${values.max.toFixed(digits)}`;

/** Per round: median of the audit-on runs minus median of the audit-off runs; void runs left out. */
export function summarizeAuditCost(runs: AuditCostRun[], appendProbe?: AuditAppendProbe): AuditCostSummary {
  const valid = runs.filter((r) => !r.void);
  const rounds = [...new Set(runs.map((r) => r.round))].sort((a, b) => a - b);
  const per = (f: (r: AuditCostRun) => number, audit: 'on' | 'off', round: number): number =>
    median(valid.filter((r) => r.round === round && r.audit === audit).map(f));
  const diff = (f: (r: AuditCostRun) => number): number[] =>
    rounds.map((round) => per(f, 'on', round) - per(f, 'off', round));
  const p50 = (r: AuditCostRun): number => r.latencyMs.p50;
  const p99 = (r: AuditCostRun): number => r.latencyMs.p99;
  const addedP50Ms = spread(diff(p50));
  const addedP99Ms = spread(diff(p99));
  const p50On = spread(rounds.map((round) => per(p50, 'on', round)));
  const p50Off = spread(rounds.map((round) => per(p50, 'off', round)));
  const addedCpuMsPerOperation = spread(diff((r) => r.serverCpuMsPerOperation ?? Number.NaN));
  const recordsPerOperation = spread(
    valid.filter((r) => r.audit === 'on').map((r) => r.auditRecordsPerOperation ?? Number.NaN),
  );
  return {
    ...(addedP50Ms ? { addedP50Ms } : {}),
    ...(addedP99Ms ? { addedP99Ms } : {}),
    ...(p50On ? { p50On } : {}),
    ...(p50Off ? { p50Off } : {}),
    ...(recordsPerOperation ? { recordsPerOperation } : {}),
    ...(addedCpuMsPerOperation ? { addedCpuMsPerOperation } : {}),
    ...(appendProbe ? { appendProbe } : {}),
    voidRuns: runs.filter((r) => r.void).length,
  };
}

function answerOf(s: { status: number; code?: string; limit?: string; maximum?: number; errorCount: number }): string {
  return `${s.status} ${s.code ?? 'no code'}${s.limit ? ` ${s.limit} (max ${s.maximum ?? '?'})` : ''}${s.errorCount !== 1 ? `, ${s.errorCount} errors` : ''}`;
}

export function summarizeAttacks(documents: AttackDocumentFacts[], rounds: AttackRound[]): AttackSummary {
  const all = rounds.flatMap((r) => r.samples);
  // Only what was sent while (a) ran counts as "under load"; a late one is counted apart.
  const samples = all.filter((s) => s.phase === 'load' && s.duringLoad);
  const rows = documents.map((document) => {
    const mine = samples.filter((s) => s.attack === document.name);
    const sorted = mine.map((s) => s.latencyMs).sort((a, b) => a - b);
    const idle = all
      .filter((s) => s.phase === 'idle' && s.attack === document.name)
      .map((s) => s.latencyMs)
      .sort((a, b) => a - b);
    return {
      idleSamples: idle.length,
      idleP50Ms: quantileSorted(idle, 0.5),
      idleMaxMs: idle[idle.length - 1] ?? Number.NaN,
      attack: document.name,
      description: document.description,
      bytes: document.bytes,
      samples: mine.length,
      p50Ms: quantileSorted(sorted, 0.5),
      maxMs: sorted[sorted.length - 1] ?? Number.NaN,
      answers: [...new Set(mine.map(answerOf))],
      refused:
        mine.length > 0 &&
        all
          .filter((s) => s.attack === document.name)
          .every((s) => s.status >= 400 && s.status < 500 && s.errorCount === 1),
    };
  });
  const both = rounds.filter((r) => !r.withAttack.void && !r.withoutAttack.void);
  const upstream: Record<string, number> = {};
  for (const r of rounds)
    for (const [operation, count] of Object.entries(r.upstreamCallsBesideWorkload))
      upstream[operation] = (upstream[operation] ?? 0) + count;
  const p99Without = spread(both.map((r) => r.withoutAttack.latencyMs.p99));
  const p99With = spread(both.map((r) => r.withAttack.latencyMs.p99));
  const addedP99Ms = spread(both.map((r) => r.withAttack.latencyMs.p99 - r.withoutAttack.latencyMs.p99));
  const p50Without = spread(both.map((r) => r.withoutAttack.latencyMs.p50));
  const p50With = spread(both.map((r) => r.withAttack.latencyMs.p50));
  return {
    rows,
    ...(p99Without ? { p99Without } : {}),
    ...(p99With ? { p99With } : {}),
    ...(addedP99Ms ? { addedP99Ms } : {}),
    ...(p50Without ? { p50Without } : {}),
    ...(p50With ? { p50With } : {}),
    samplesOutsideLoad: all.filter((s) => s.phase === 'load' && !s.duringLoad).length,
    upstreamCallsBesideWorkload: upstream,
  };
}

export function securityTargets(
  auditCost: AuditCostSummary | undefined,
  attacks: AttackSummary | undefined,
): TargetVerdict[] {
  const verdicts: TargetVerdict[] = [];
  {
    const added = auditCost?.addedP50Ms;
    // The append alone is what each audited request waits for when it shares no flush with another:
    // a lower bound of the trail's cost that the shared machine's noise cannot hide, so a PASS needs both.
    const probe = auditCost?.appendProbe?.latencyMs.p50;
    const pass =
      added !== undefined &&
      added.median < AUDIT_ADDED_P50_TARGET_MS &&
      (probe === undefined || probe < AUDIT_ADDED_P50_TARGET_MS);
    verdicts.push({
      target: `audit trail (SQLite) adds under ${AUDIT_ADDED_P50_TARGET_MS} ms p50 to (c) (on vs off, same rate, interleaved; and one append alone)`,
      verdict: !added ? 'NO DATA' : pass ? 'PASS' : 'MISS',
      evidence: !added
        ? 'no valid pair of runs'
        : `added p50 ${fmt(added)} ms (p50 on ${fmt(auditCost.p50On!)} ms, off ${fmt(auditCost.p50Off!)} ms; added p99 ${auditCost.addedP99Ms ? fmt(auditCost.addedP99Ms, 1) : '—'} ms; ` +
          `${auditCost.recordsPerOperation ? `${auditCost.recordsPerOperation.median.toFixed(2)} audit records per operation` : 'records not counted'}` +
          `${auditCost.addedCpuMsPerOperation ? `; added server CPU ${fmt(auditCost.addedCpuMsPerOperation)} ms/op` : ''}` +
          `${auditCost.appendProbe ? `; one append alone p50 ${auditCost.appendProbe.latencyMs.p50.toFixed(2)} ms, p99 ${auditCost.appendProbe.latencyMs.p99.toFixed(2)} ms` : ''}` +
          `${auditCost.voidRuns > 0 ? `; ${auditCost.voidRuns} void runs` : ''})`,
    });
  }
  {
    const rows = attacks?.rows.filter((r) => r.samples > 0) ?? [];
    const slow = rows.filter((r) => !(r.maxMs < ATTACK_REFUSAL_TARGET_MS));
    const unrefused = rows.filter((r) => !r.refused);
    const upstream = Object.entries(attacks?.upstreamCallsBesideWorkload ?? {});
    const pass = rows.length > 0 && slow.length === 0 && unrefused.length === 0 && upstream.length === 0;
    verdicts.push({
      target: `each attack document refused in under ${ATTACK_REFUSAL_TARGET_MS} ms (max at the attacker) while (a) runs`,
      verdict: rows.length === 0 ? 'NO DATA' : pass ? 'PASS' : 'MISS',
      evidence:
        rows.length === 0
          ? 'no attack sent'
          : `p50 / max under load (idle p50): ${rows.map((r) => `${r.attack} ${r.p50Ms.toFixed(1)} / ${r.maxMs.toFixed(1)} ms (${r.idleP50Ms.toFixed(1)})${r.maxMs < ATTACK_REFUSAL_TARGET_MS ? '' : ' (over)'}${r.refused ? '' : ' (NOT REFUSED)'}`).join('; ')}` +
            `; (a) p99 ${attacks?.p99Without ? fmt(attacks.p99Without, 1) : '—'} ms without, ${attacks?.p99With ? fmt(attacks.p99With, 1) : '—'} ms with` +
            `${upstream.length > 0 ? `; upstream calls from attacks: ${upstream.map(([op, n]) => `${op} ${n}`).join(', ')}` : '; no upstream call from any attack'}` +
            `${(attacks?.samplesOutsideLoad ?? 0) > 0 ? `; ${attacks!.samplesOutsideLoad} sent after (a) ended, left out` : ''}`,
    });
  }
  return verdicts;
}
