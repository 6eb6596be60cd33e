import { SignedIds } from '../../../src/auth/signed-ids';
import { BadUserInputError, NotFoundError } from '../../../src/errors/gateway-errors';
import type { ImagingLoaders } from '../../../src/imaging/loaders';
import type { ImagingPort } from '../../../src/imaging/imaging-port';
import { toConnection } from '../../../src/resolvers/paging/connection-builder';
import { offsetCursorCodec, upstreamCursorCodec } from '../../../src/resolvers/paging/cursors';
import {
  datastoreGlobalId,
  imageSetGlobalId,
  imageSetVersionGlobalId,
  parseNodeId,
} from '../../../src/resolvers/request/global-ids';
import { searchCursorParent } from '../../../src/resolvers/request/image-set-search';
import type { RequestScope } from '../../../src/resolvers/request/request-scope';
import { present } from '../../support/present';

const ds = 'a'.repeat(32);
const imageSetId = 'b'.repeat(32);
const ids = new SignedIds('cursor-and-id-test-secret-0123456789abcdef');

function scopeOf(tenantId: string): RequestScope {
  return { tenantId, ids, imaging: {} as ImagingPort, loaders: {} as ImagingLoaders };
}
const acme = scopeOf('acme');
const globex = scopeOf('globex');

function rejection(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('cursor codecs', () => {
  const versions = `ImageSetVersions/${ds}/${imageSetId}`;

  it('round-trip an upstream position and an offset for the same tenant and list', () => {
    const upstream = upstreamCursorCodec(acme, versions);
    expect(upstream.decode(upstream.encode({ token: 'next-page', skip: 3 }))).toEqual({ token: 'next-page', skip: 3 });
    expect(upstream.decode(upstream.encode({ skip: 0 }))).toEqual({ skip: 0 });
    const offsets = offsetCursorCodec(acme, 'DicomInstances/x');
    expect(offsets.decode(offsets.encode(40))).toBe(40);
    expect(upstream.decode(undefined)).toBeUndefined();
    expect(upstream.decode(null)).toBeUndefined();
  });

  it.each([
    [
      'another tenant',
      () => upstreamCursorCodec(globex, versions).decode(upstreamCursorCodec(acme, versions).encode({ skip: 1 })),
    ],
    [
      'another list',
      () => upstreamCursorCodec(acme, `${versions}x`).decode(upstreamCursorCodec(acme, versions).encode({ skip: 1 })),
    ],
    [
      'an offset cursor on an upstream list',
      () => upstreamCursorCodec(acme, versions).decode(offsetCursorCodec(acme, versions).encode(5)),
    ],
    ['a global id', () => upstreamCursorCodec(acme, versions).decode(imageSetGlobalId(acme, ds, imageSetId))],
    ['garbage', () => offsetCursorCodec(acme, versions).decode('Doe^John')],
  ])('refuse a cursor from %s as BAD_USER_INPUT on `after`', (_from, decode) => {
    const error = rejection(decode);
    expect(error).toBeInstanceOf(BadUserInputError);
    expect((error as BadUserInputError).extensions.invalidFields).toEqual(['after']);
  });

  it('refuse a signed cursor whose position is not one (negative skip, non-string token, fractional offset)', () => {
    for (const payload of [{ skip: -1 }, { skip: 1, token: 7 }, { skip: 'x' }]) {
      const cursor = ids.cursor('acme', versions, payload);
      expect(rejection(() => upstreamCursorCodec(acme, versions).decode(cursor))).toBeInstanceOf(BadUserInputError);
    }
    const fractional = ids.cursor('acme', versions, { offset: 1.5 });
    expect(rejection(() => offsetCursorCodec(acme, versions).decode(fractional))).toBeInstanceOf(BadUserInputError);
  });

  it('bind a search cursor to the exact criteria without putting them in the clear', () => {
    const parent = searchCursorParent(ds, { patientId: 'Doe^John' });
    expect(parent).not.toContain('Doe');
    expect(searchCursorParent(ds, { patientId: 'Doe^John' })).toBe(parent);
    expect(searchCursorParent(ds, { patientId: 'Doe^Jane' })).not.toBe(parent);
    const cursor = upstreamCursorCodec(acme, parent).encode({ skip: 2 });
    expect(
      rejection(() => upstreamCursorCodec(acme, searchCursorParent(ds, { patientId: 'Doe^Jane' })).decode(cursor)),
    ).toBeInstanceOf(BadUserInputError);
  });
});

describe('global ids', () => {
  it('parse back into the object each names', () => {
    expect(parseNodeId(acme, datastoreGlobalId(acme, ds))).toEqual({ type: 'Datastore', datastoreId: ds });
    expect(parseNodeId(acme, imageSetGlobalId(acme, ds, imageSetId))).toEqual({
      type: 'ImageSet',
      datastoreId: ds,
      imageSetId,
    });
    expect(parseNodeId(acme, imageSetVersionGlobalId(acme, ds, imageSetId, '4'))).toEqual({
      type: 'ImageSetVersion',
      datastoreId: ds,
      imageSetId,
      versionId: '4',
    });
  });

  it('report an id of another tenant, a tampered id and a cursor exactly like a missing object', () => {
    const foreign = imageSetGlobalId(globex, ds, imageSetId);
    const tampered = `${imageSetGlobalId(acme, ds, imageSetId).slice(0, -2)}AA`;
    const cursor = upstreamCursorCodec(acme, 'x').encode({ skip: 0 });
    for (const id of [foreign, tampered, cursor, 'Doe^John', '']) {
      const error = rejection(() => parseNodeId(acme, id));
      expect(error).toBeInstanceOf(NotFoundError);
      expect((error as NotFoundError).message).toBe(new NotFoundError().message);
    }
  });
});

describe('toConnection', () => {
  it('signs the position after each item, and after the page', () => {
    const connection = toConnection(
      {
        items: [
          { item: 'a', after: 1 },
          { item: 'b', after: 2 },
        ],
        hasNextPage: true,
        end: 2,
      },
      (position) => `cursor-${position}`,
      (item) => item.toUpperCase(),
    );
    expect(connection).toEqual({
      edges: [
        { cursor: 'cursor-1', node: 'A' },
        { cursor: 'cursor-2', node: 'B' },
      ],
      pageInfo: { hasNextPage: true, endCursor: 'cursor-2' },
    });
  });

  it('signs nothing until a cursor is read, so queries without cursors pay no HMAC', () => {
    const signed: number[] = [];
    const connection = toConnection(
      {
        items: [
          { item: 'a', after: 1 },
          { item: 'b', after: 2 },
        ],
        hasNextPage: true,
        end: 2,
      },
      (position) => {
        signed.push(position);
        return `cursor-${position}`;
      },
      (item) => item,
    );
    expect(connection.edges.map((edge) => edge.node)).toEqual(['a', 'b']);
    expect(signed).toEqual([]);
    expect(present(connection.edges[1], 'a second edge').cursor).toBe('cursor-2');
    expect(connection.pageInfo.endCursor).toBe('cursor-2');
    expect(signed).toEqual([2, 2]);
  });

  it('has no end cursor for an empty last page', () => {
    expect(toConnection({ items: [], hasNextPage: false }, String, String).pageInfo).toEqual({
      hasNextPage: false,
      endCursor: null,
    });
  });
});
