/** How many destinations are remembered per tenant; far more than copies within one skew window. */
const DEFAULT_CAPACITY = 1000;

/**
 * Image sets that copies answered by this gateway created. Reconciling an ambiguous copy into a
 * new image set looks for a fresh copy of the same series; without this, the destination of an
 * earlier copy of that series (created within the clock-skew window, its answer already given)
 * would be taken for the result of a copy that may never have been applied.
 */
export class AnsweredCopies {
  private readonly ids = new Set<string>();

  constructor(private readonly capacity = DEFAULT_CAPACITY) {}

  add(datastoreId: string, imageSetId: string): void {
    const key = `${datastoreId}/${imageSetId}`;
    this.ids.delete(key);
    this.ids.add(key);
    // A Set iterates in insertion order: the first entry is the oldest.
    while (this.ids.size > this.capacity) this.ids.delete(this.ids.values().next().value as string);
  }

  has(datastoreId: string, imageSetId: string): boolean {
    return this.ids.has(`${datastoreId}/${imageSetId}`);
  }
}
