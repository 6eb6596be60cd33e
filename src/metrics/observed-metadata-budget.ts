import { MetadataBudget } from '../imaging/metadata-budget';

/** A metadata budget that reports each read it refuses (the request then fails THROTTLED). */
class ObservedMetadataBudget extends MetadataBudget {
  constructor(
    maxBytes: number,
    private readonly onRefusal: () => void,
  ) {
    super(maxBytes);
  }

  override tryTake(bytes: number): boolean {
    const taken = super.tryTake(bytes);
    if (!taken) this.onRefusal();
    return taken;
  }
}

/** The replica's metadata budget; its refusals are counted when there are metrics. */
export function metadataBudgetOf(maxBytes: number, onRefusal?: () => void): MetadataBudget {
  return onRefusal ? new ObservedMetadataBudget(maxBytes, onRefusal) : new MetadataBudget(maxBytes);
}
