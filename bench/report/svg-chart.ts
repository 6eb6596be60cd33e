import type { Spread } from '../lib/stats';
import { WORKLOAD_LABELS, type VariantName, type WorkloadName } from '../workloads/variants';
import type { BenchResults, SummaryRow } from './result-types';

/**
 * A dependency-free SVG of the summary: per upstream latency, one row of throughput bars and one
 * of latency bars (p50 solid, p99 pale), a panel per workload, each with its own scale; whiskers
 * span min to max over the rounds.
 */
const COLORS: Record<VariantName, string> = {
  floor: '#9e9e9e',
  'hand-written': '#4e79a7',
  'naive-graphql': '#f28e2b',
  gateway: '#59a14f',
};
const SHORT: Record<VariantName, string> = {
  floor: 'floor',
  'hand-written': 'hand',
  'naive-graphql': 'naive',
  gateway: 'gateway',
};

const WIDTH = 1100;
const PANEL_HEIGHT = 190;
const TITLE_HEIGHT = 26;
const MARGIN = 12;

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function niceMax(value: number): number {
  if (!(value > 0)) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * magnitude >= value) return step * magnitude;
  return 10 * magnitude;
}

function formatValue(value: number): string {
  if (value >= 100) return value.toFixed(0);
  if (value >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

interface Bar {
  variant: VariantName;
  main?: Spread;
  /** Drawn pale behind the main bar (p99 behind p50). */
  back?: Spread;
}

function panel(
  x: number,
  y: number,
  width: number,
  height: number,
  title: string,
  bars: Bar[],
  scaleBy: readonly VariantName[],
): string {
  const parts: string[] = [];
  parts.push(`<rect x="${x}" y="${y}" width="${width}" height="${height}" fill="#fafafa" stroke="#ddd"/>`);
  parts.push(`<text x="${x + 8}" y="${y + 16}" font-size="12" font-weight="bold">${escape(title)}</text>`);
  const top = y + 28;
  const bottom = y + height - 22;
  const plotHeight = bottom - top;
  // Only the variants compared in the row set the scale (the floor's throughput is orders of
  // magnitude above the rest; a saturated naive baseline's latency is seconds): others are drawn
  // cut at the top with their value written on them.
  const scaled = bars.filter((bar) => scaleBy.includes(bar.variant) && (bar.main || bar.back));
  const max = niceMax(
    Math.max(0, ...(scaled.length > 0 ? scaled : bars).flatMap((bar) => [bar.main?.max ?? 0, bar.back?.max ?? 0])),
  );
  parts.push(
    `<text x="${x + width - 6}" y="${top + 4}" font-size="9" text-anchor="end" fill="#888">${formatValue(max)}</text>`,
  );
  parts.push(`<line x1="${x + 6}" x2="${x + width - 6}" y1="${bottom}" y2="${bottom}" stroke="#999"/>`);
  const slot = (width - 12) / Math.max(1, bars.length);
  const scale = (value: number): number => bottom - (Math.min(max, Math.max(0, value)) / max) * plotHeight;
  bars.forEach((bar, index) => {
    const cx = x + 6 + slot * index + slot / 2;
    const barWidth = Math.min(36, slot * 0.6);
    if (bar.back) {
      const yb = scale(bar.back.median);
      parts.push(
        `<rect x="${cx - barWidth / 2}" y="${yb}" width="${barWidth}" height="${bottom - yb}" fill="${COLORS[bar.variant]}" opacity="0.35"/>`,
      );
      const cut = bar.back.median > max;
      if (cut)
        parts.push(
          `<rect x="${cx - barWidth / 2 - 1}" y="${yb + 8}" width="${barWidth + 2}" height="3" fill="#fafafa"/>`,
        );
      parts.push(
        `<text x="${cx}" y="${cut ? yb + 24 : yb - 3}" font-size="9" text-anchor="middle">${formatValue(bar.back.median)}</text>`,
      );
    }
    if (bar.main) {
      const ym = scale(bar.main.median);
      const inner = bar.back ? barWidth * 0.6 : barWidth;
      parts.push(
        `<rect x="${cx - inner / 2}" y="${ym}" width="${inner}" height="${bottom - ym}" fill="${COLORS[bar.variant]}"/>`,
      );
      parts.push(
        `<line x1="${cx}" x2="${cx}" y1="${scale(bar.main.min)}" y2="${scale(bar.main.max)}" stroke="#222" stroke-width="1"/>`,
      );
      if (bar.main.median > max) {
        parts.push(
          `<rect x="${cx - barWidth / 2 - 1}" y="${ym + 8}" width="${barWidth + 2}" height="3" fill="#fafafa"/>`,
        );
        parts.push(
          `<text x="${cx}" y="${ym + 24}" font-size="9" text-anchor="middle" fill="#fff">${formatValue(bar.main.median)}</text>`,
        );
      } else if (!bar.back)
        parts.push(
          `<text x="${cx}" y="${Math.min(ym, scale(bar.main.max)) - 3}" font-size="9" text-anchor="middle">${formatValue(bar.main.median)}</text>`,
        );
      else
        parts.push(
          `<text x="${cx}" y="${ym + 10}" font-size="8" text-anchor="middle" fill="#fff">${formatValue(bar.main.median)}</text>`,
        );
    } else {
      parts.push(`<text x="${cx}" y="${bottom - 4}" font-size="9" text-anchor="middle" fill="#999">n/a</text>`);
    }
    parts.push(`<text x="${cx}" y="${bottom + 13}" font-size="10" text-anchor="middle">${SHORT[bar.variant]}</text>`);
  });
  return parts.join('\n');
}

export function renderSvg(results: BenchResults): string {
  const config = results.config as {
    upstreamLatenciesMs: number[];
    workloads: WorkloadName[];
    variants: VariantName[];
    connections: number[];
  };
  const busiest = Math.max(...config.connections);
  const rows: Array<{ title: string; bars: (workload: WorkloadName) => Bar[]; scaleBy: VariantName[] }> = [];
  const rowOf = (workload: WorkloadName, variant: VariantName, latency: number): SummaryRow | undefined =>
    results.summary.find((r) => r.workload === workload && r.variant === variant && r.upstreamLatencyMs === latency);
  for (const latency of config.upstreamLatenciesMs) {
    const variants = config.variants.filter(
      (variant) => variant !== 'floor' || latency === config.upstreamLatenciesMs[0],
    );
    rows.push({
      title: `Throughput, operations/s (${busiest} connections, ${latency} ms added upstream latency)`,
      scaleBy: ['hand-written', 'naive-graphql', 'gateway'],
      bars: (workload) =>
        variants.map((variant) => ({
          variant,
          ...(rowOf(workload, variant, latency)?.throughput[busiest]
            ? { main: rowOf(workload, variant, latency)!.throughput[busiest]! }
            : {}),
        })),
    });
    rows.push({
      title: `Latency at half load, ms: p50 solid, p99 pale (${latency} ms added upstream latency; scale set by hand-written and gateway)`,
      scaleBy: ['hand-written', 'gateway'],
      bars: (workload) =>
        variants.map((variant) => {
          const fixed = rowOf(workload, variant, latency)?.fixedRate;
          return { variant, ...(fixed?.p50 ? { main: fixed.p50 } : {}), ...(fixed?.p99 ? { back: fixed.p99 } : {}) };
        }),
    });
  }
  const panelWidth = (WIDTH - MARGIN * (config.workloads.length + 1)) / config.workloads.length;
  const height = 50 + rows.length * (PANEL_HEIGHT + TITLE_HEIGHT) + 30;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="Helvetica, Arial, sans-serif">`,
  );
  parts.push(`<rect width="${WIDTH}" height="${height}" fill="#fff"/>`);
  parts.push(
    `<text x="${MARGIN}" y="24" font-size="16" font-weight="bold">HealthImaging GraphQL gateway vs baselines — medians of ${results.rounds.length} rounds, whiskers min–max</text>`,
  );
  parts.push(
    `<text x="${MARGIN}" y="42" font-size="11" fill="#555">${escape(`${results.machine.cpus} × ${results.machine.cpuModel}, Node ${results.machine.node}, ${results.startedAt.slice(0, 10)}`)}</text>`,
  );
  rows.forEach((row, rowIndex) => {
    const y = 50 + rowIndex * (PANEL_HEIGHT + TITLE_HEIGHT);
    parts.push(
      `<text x="${MARGIN}" y="${y + 18}" font-size="13" font-weight="bold" fill="#333">${escape(row.title)}</text>`,
    );
    config.workloads.forEach((workload, index) => {
      parts.push(
        panel(
          MARGIN + index * (panelWidth + MARGIN),
          y + TITLE_HEIGHT,
          panelWidth,
          PANEL_HEIGHT,
          WORKLOAD_LABELS[workload],
          row.bars(workload),
          row.scaleBy,
        ),
      );
    });
  });
  const legendY = height - 14;
  (Object.keys(COLORS) as VariantName[]).forEach((variant, index) => {
    const x = MARGIN + index * 170;
    parts.push(`<rect x="${x}" y="${legendY - 10}" width="12" height="12" fill="${COLORS[variant]}"/>`);
    parts.push(`<text x="${x + 18}" y="${legendY}" font-size="11">${variant}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
