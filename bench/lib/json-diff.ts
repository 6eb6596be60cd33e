/** The first place two parsed JSON values differ, as a path, or undefined when they are equal. */
export function firstDifference(actual: unknown, expected: unknown, path = '$'): string | undefined {
  if (Object.is(actual, expected)) return undefined;
  if (typeof actual !== typeof expected || actual === null || expected === null || typeof actual !== 'object') {
    return `${path}: ${JSON.stringify(actual)?.slice(0, 120)} instead of ${JSON.stringify(expected)?.slice(0, 120)}`;
  }
  if (Array.isArray(actual) !== Array.isArray(expected)) return `${path}: array and object`;
  if (Array.isArray(actual) && Array.isArray(expected)) {
    if (actual.length !== expected.length) return `${path}: ${actual.length} items instead of ${expected.length}`;
    for (let index = 0; index < actual.length; index++) {
      const difference = firstDifference(actual[index], expected[index], `${path}[${index}]`);
      if (difference) return difference;
    }
    return undefined;
  }
  const a = actual as Record<string, unknown>;
  const e = expected as Record<string, unknown>;
  for (const key of new Set([...Object.keys(a), ...Object.keys(e)])) {
    if (!(key in a)) return `${path}.${key}: missing`;
    if (!(key in e)) return `${path}.${key}: unexpected`;
    const difference = firstDifference(a[key], e[key], `${path}.${key}`);
    if (difference) return difference;
  }
  return undefined;
}
