import type { Storage } from '@graphiql/toolkit';

/**
 * GraphiQL's storage kept in the page only. Its default (localStorage) would keep tabs, variables
 * and history on the workstation after the tab closes; in a hospital those can name patients
 * (a patient id in the variables), and workstations are shared.
 */
export function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
    get length() {
      return items.size;
    },
  };
}
