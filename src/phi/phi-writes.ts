import type { LevelAttributesInput } from '../types/level-attributes.input';
import type { UpdateImageSetMetadataInput } from '../types/update-image-set-metadata.input';
import type { PhiAccess } from './phi-access';
import { PHI_CATEGORIES, type PhiCategory } from './phi-category';
import type { MetadataChange } from '../imaging/metadata-changes';
import { withheldCategoryOf } from './profile-lookup';
import { inspect, inspectSequenceValue } from './redaction';

function levelMaps(input: LevelAttributesInput | null | undefined): Array<Record<string, unknown>> {
  if (!input) return [];
  return [
    ...(input.patient ? [input.patient] : []),
    ...(input.study ? [input.study] : []),
    ...(input.series ?? []).map((entry) => entry.attributes ?? {}),
    ...(input.instances ?? []).map((entry) => entry.attributes ?? {}),
  ];
}

/**
 * FORBIDDEN, before anything is built or sent, when an update inserts, replaces or removes a
 * withheld attribute (at any depth of a sequence) without `phi:read`: a caller may not change what
 * it may not see. The error names categories, never the caller's keys or values.
 */
export function checkUpdateAttributes(phi: PhiAccess, input: UpdateImageSetMetadataInput): void {
  if (phi.granted) return;
  const found = new Set<PhiCategory>();
  for (const attributes of [...levelMaps(input.updates), ...levelMaps(input.removals)]) {
    if (typeof attributes !== 'object' || attributes === null) continue;
    for (const category of inspect(attributes).categories) found.add(category);
  }
  requireFor(phi, found);
}

/**
 * The same rule for a revert: restoring an earlier version rewrites whatever differs between it
 * and the latest one, so a revert that would change a withheld attribute needs `phi:read` too.
 * `changes` are the differences from the latest version to the one being restored.
 */
export function checkRevertChanges(phi: PhiAccess, changes: readonly MetadataChange[]): void {
  if (phi.granted) return;
  const found = new Set<PhiCategory>();
  for (const change of changes) {
    const category = change.keyword === '' ? undefined : withheldCategoryOf(change.keyword);
    if (category) found.add(category);
    for (const side of [change.before, change.after])
      for (const nested of inspectSequenceValue(side).categories) found.add(nested);
  }
  requireFor(phi, found);
}

function requireFor(phi: PhiAccess, found: ReadonlySet<PhiCategory>): void {
  if (found.size === 0) return;
  const categories = PHI_CATEGORIES.filter((category) => found.has(category));
  phi.require(`Changing attributes of the categories ${categories.join(', ')}`);
}
