import type { MetadataChange } from '../imaging/metadata-changes';
import type { PhiAccess, PhiTarget } from './phi-access';
import type { PhiCategory } from './phi-category';
import { withheldCategoryOf } from './profile-lookup';
import { inspectSequenceValue } from './redaction';

/**
 * Version changes as this caller may see them: changes of withheld attributes are left out, and
 * withheld attributes inside changed sequences are removed from both sides. Structural changes
 * (series and instances added or removed) name UIDs only and always stay.
 */
export function visibleChanges(
  phi: PhiAccess,
  changes: readonly MetadataChange[],
  target: PhiTarget,
): MetadataChange[] {
  const found = new Set<PhiCategory>();
  const visible: MetadataChange[] = [];
  for (const change of changes) {
    const category = change.keyword === '' ? undefined : withheldCategoryOf(change.keyword);
    if (category) {
      found.add(category);
      if (phi.granted) visible.push(change);
      continue;
    }
    if (phi.granted || (!Array.isArray(change.before) && !Array.isArray(change.after))) {
      if (phi.granted)
        for (const side of [change.before, change.after])
          for (const c of inspectSequenceValue(side).categories) found.add(c);
      visible.push(change);
      continue;
    }
    const before = inspectSequenceValue(change.before);
    const after = inspectSequenceValue(change.after);
    for (const c of [...before.categories, ...after.categories]) found.add(c);
    visible.push({
      ...change,
      ...(change.before !== undefined ? { before: before.value } : {}),
      ...(change.after !== undefined ? { after: after.value } : {}),
    });
  }
  phi.note([...found], target);
  return visible;
}
