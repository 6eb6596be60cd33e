/** The error of type `type` that `run` throws synchronously; fails the test when it throws nothing or something else. */
export function thrownBy<E extends Error>(run: () => unknown, type: new (...args: never[]) => E): E {
  try {
    run();
  } catch (error) {
    if (error instanceof type) return error;
    throw error;
  }
  throw new Error(`expected a ${type.name}`);
}
