import type { HilStore } from '../store/hil-store';

/** What every rule of the model works on: the tables, and the clock (epoch milliseconds). */
export interface ModelContext {
  readonly store: HilStore;
  now(): number;
}
