/**
 * Preloaded (NODE_OPTIONS=--require) into a HealthImaging Local that a bench spawns: samples the
 * server's own event-loop delay, so a stall is measured in the process where it happens rather
 * than through another process's round trip, which on busy shared CPUs adds stalls of its own.
 * On SIGUSR2 it writes the largest and the 99th percentile delay since the previous signal, in
 * milliseconds, to HIL_LOOP_DELAY_FILE, and starts over. The timer it samples with runs late
 * when the process is not scheduled too, so the figure includes CPU starvation.
 */
import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const file = process.env.HIL_LOOP_DELAY_FILE;
if (file) {
  const histogram = monitorEventLoopDelay({ resolution: 5 });
  histogram.enable();
  process.on('SIGUSR2', () => {
    const ms = (ns: number): number => Math.round(ns / 1e5) / 10;
    writeFileSync(file, JSON.stringify({ maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)) }));
    histogram.reset();
  });
}
