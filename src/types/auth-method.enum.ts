import { registerEnumType } from 'type-graphql';

export enum AuthMethod {
  JWT = 'JWT',
  API_KEY = 'API_KEY',
}

registerEnumType(AuthMethod, {
  name: 'AuthMethod',
  description: 'How the caller authenticated.',
  valuesConfig: {
    JWT: { description: "A bearer JSON Web Token issued by the tenant's identity provider." },
    API_KEY: { description: 'An API key configured for the tenant.' },
  },
});

export function toAuthMethod(method: 'jwt' | 'api-key'): AuthMethod {
  return method === 'jwt' ? AuthMethod.JWT : AuthMethod.API_KEY;
}
