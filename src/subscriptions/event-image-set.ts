import { ImageSet } from '../types/image-set.type';
import type { ImageSetChange } from './image-set-change';

/** Facts whose resolvers read null as "none" (`?? null`, `?? false`), unlike the two enums. */
const NULLABLE_FACTS: ReadonlySet<string> = new Set([
  'message',
  'arn',
  'isPrimary',
  'createdAt',
  'updatedAt',
  'deletedAt',
  'forced',
]);

/**
 * The `ImageSet` an event shows. `ImageSet.withFacts` keeps only defined facts, so a fact known to
 * be absent (no failure message, say) would make its field read the image set again, once per
 * subscriber and event. Such facts go in as null, which those fields answer as null without a read.
 */
export function eventImageSet(change: ImageSetChange): ImageSet {
  const facts: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(change.facts)) {
    if (value !== undefined) facts[key] = value;
    else if (NULLABLE_FACTS.has(key)) facts[key] = null;
  }
  return ImageSet.withFacts(change.datastoreId, change.imageSetId, facts);
}
