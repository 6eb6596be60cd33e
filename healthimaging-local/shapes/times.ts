/**
 * The store keeps epoch milliseconds; the wire, search filters and the answers kept for a
 * clientToken speak epoch seconds with a millisecond fraction.
 */
export function epochSeconds(ms: number): number {
  return Math.round(ms) / 1000;
}
