/** Runs `fn`, expecting the SDK to raise the named service exception with the given HTTP status. */
export async function expectServiceError(
  fn: () => Promise<unknown>,
  name: string,
  httpStatusCode: number,
): Promise<Error & { $metadata?: { httpStatusCode?: number }; $fault?: string }> {
  let caught: unknown;
  try {
    await fn();
  } catch (err) {
    caught = err;
  }
  if (!caught) throw new Error(`expected ${name}, but the call succeeded`);
  const err = caught as Error & { $metadata?: { httpStatusCode?: number }; $fault?: string };
  expect({ name: err.name, status: err.$metadata?.httpStatusCode }).toEqual({ name, status: httpStatusCode });
  return err;
}
