import { BadUserInputError } from '../../errors/gateway-errors';
import type { RequestScope } from '../request/request-scope';
import type { UpstreamPosition } from './upstream-pager';

/**
 * Cursors are signed and bound to the tenant and to their list (`parent`): a cursor from another
 * list, another tenant or an edited cursor is refused instead of being misread.
 */
export interface CursorCodec<T> {
  encode: (position: T) => string;
  decode: (cursor: string | null | undefined) => T | undefined;
}

const INVALID_CURSOR = 'The `after` cursor is not valid for this list, or has expired; start again without it.';

function codec<T>(
  scope: RequestScope,
  parent: string,
  write: (position: T) => Record<string, unknown>,
  read: (payload: unknown) => T | undefined,
): CursorCodec<T> {
  return {
    encode: (position) => scope.ids.cursor(scope.tenantId, parent, write(position)),
    decode: (cursor) => {
      if (cursor === null || cursor === undefined) return undefined;
      let payload: unknown;
      try {
        payload = scope.ids.parseCursor(scope.tenantId, parent, cursor);
      } catch {
        throw new BadUserInputError(INVALID_CURSOR, { invalidFields: ['after'] });
      }
      const position = read(payload);
      if (position === undefined) throw new BadUserInputError(INVALID_CURSOR, { invalidFields: ['after'] });
      return position;
    },
  };
}

export function upstreamCursorCodec(scope: RequestScope, parent: string): CursorCodec<UpstreamPosition> {
  return codec(
    scope,
    parent,
    (position) => ({ ...position }),
    (payload) => {
      if (typeof payload !== 'object' || payload === null) return undefined;
      const { token, skip } = payload as { token?: unknown; skip?: unknown };
      if (!Number.isInteger(skip) || (skip as number) < 0) return undefined;
      if (token !== undefined && typeof token !== 'string') return undefined;
      return token === undefined ? { skip: skip as number } : { token, skip: skip as number };
    },
  );
}

export function offsetCursorCodec(scope: RequestScope, parent: string): CursorCodec<number> {
  return codec(
    scope,
    parent,
    (offset) => ({ offset }),
    (payload) => {
      if (typeof payload !== 'object' || payload === null) return undefined;
      const { offset } = payload as { offset?: unknown };
      return Number.isInteger(offset) && (offset as number) >= 0 ? (offset as number) : undefined;
    },
  );
}
