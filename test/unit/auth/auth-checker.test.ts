import { graphql, type GraphQLSchema } from 'graphql';
import { Authorized, Query, Resolver, buildSchema } from 'type-graphql';
import { assertScopes, authChecker } from '../../../src/auth/auth-checker';
import type { Principal } from '../../../src/auth/principal';
import { ForbiddenError, UnauthenticatedError } from '../../../src/errors/gateway-errors';

@Resolver()
class ProbeResolver {
  @Authorized()
  @Query(() => String, { description: 'Any authenticated caller.' })
  whoAmI(): string {
    return 'someone';
  }

  @Authorized('imagesets:read')
  @Query(() => String, { description: 'Needs imagesets:read.' })
  readSomething(): string {
    return 'read';
  }

  @Authorized('imagesets:read', 'imagesets:delete')
  @Query(() => String, { description: 'Needs both scopes.' })
  readAndDelete(): string {
    return 'both';
  }
}

const reader: Principal = { tenantId: 'acme', subject: 'dr-house', scopes: ['imagesets:read'], method: 'jwt' };

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildSchema({ resolvers: [ProbeResolver], authChecker, validate: false });
});

async function run(query: string, principal?: Principal) {
  const result = await graphql({ schema, source: query, contextValue: { principal } });
  return { data: result.data, codes: result.errors?.map((error) => error.extensions.code) };
}

describe('authChecker', () => {
  it('lets a caller holding the scope through', async () => {
    expect(await run('{ readSomething whoAmI }', reader)).toEqual({
      data: { readSomething: 'read', whoAmI: 'someone' },
      codes: undefined,
    });
  });

  it('answers UNAUTHENTICATED to an anonymous caller, even where no scope is listed', async () => {
    expect((await run('{ whoAmI }')).codes).toEqual(['UNAUTHENTICATED']);
    expect((await run('{ readSomething }')).codes).toEqual(['UNAUTHENTICATED']);
  });

  it('answers FORBIDDEN when a listed scope is missing, and requires every listed scope', async () => {
    expect((await run('{ readAndDelete }', reader)).codes).toEqual(['FORBIDDEN']);
    const both: Principal = { ...reader, scopes: ['imagesets:read', 'imagesets:delete'] };
    expect((await run('{ readAndDelete }', both)).data).toEqual({ readAndDelete: 'both' });
  });
});

describe('assertScopes', () => {
  it('throws the gateway errors directly for imperative checks', () => {
    expect(() => assertScopes(undefined, [])).toThrow(UnauthenticatedError);
    expect(() => assertScopes(reader, ['imagesets:write'])).toThrow(ForbiddenError);
    expect(assertScopes(reader, ['imagesets:read'])).toBe(reader);
  });

  it('fails loudly on a scope name it does not know instead of granting', () => {
    expect(() => assertScopes(reader, ['imagesets:raed' as never])).toThrow(/Unknown scope/);
  });
});
