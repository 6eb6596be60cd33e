/** Order statistics over the rounds of one measurement: every ratio is reported as min-median-max. */
export interface Spread {
  min: number;
  median: number;
  max: number;
  /** The per-round values, in round order. */
  values: number[];
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const upper = sorted[middle];
  const lower = sorted[middle - 1];
  if (upper === undefined) return Number.NaN;
  return sorted.length % 2 === 1 || lower === undefined ? upper : (lower + upper) / 2;
}

export function spread(values: readonly number[]): Spread | undefined {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return undefined;
  return { min: Math.min(...finite), median: median(finite), max: Math.max(...finite), values: [...values] };
}

/** The q-quantile (0..1) of already sorted samples, nearest-rank (as HdrHistogram reports it). */
export function quantileSorted(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1] ?? Number.NaN;
}

export function round(value: number, digits = 2): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
