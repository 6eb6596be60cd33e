/**
 * What fields weigh in an operation's cost (see operation-cost.ts). A field costs 1 by default;
 * these are the fields that cost more because they call HealthImaging or hold a whole metadata
 * document. The default cost limit (3000) admits the heaviest documented workloads with room to
 * spare (the benchmark's 20-row study browser with per-row metadata costs 845) and refuses a page of 50 image
 * sets that each expand their instances.
 */

/** One upstream read of its own (GetImageSet, GetDatastore, a search or versions page). */
export const UPSTREAM_READ_COST = 5;
/** A decoded metadata document: one download, and up to tens of MB once parsed. */
export const METADATA_COST = 25;
/** Two metadata documents compared attribute by attribute. */
export const CHANGES_COST = 2 * METADATA_COST;
