/** How the kit authenticates: a partner API key, or a user's bearer token (a JWT). */
export type Credentials = { apiKey: string } | { bearerToken: string };

/** The HTTP headers of a credential. */
export function credentialHeaders(credentials: Credentials): Record<string, string> {
  return 'apiKey' in credentials
    ? { 'x-api-key': credentials.apiKey }
    : { authorization: `Bearer ${credentials.bearerToken}` };
}

/** The graphql-ws `connection_init` payload of a credential: the same names as the HTTP headers. */
export function connectionParams(credentials: Credentials): Record<string, string> {
  return credentialHeaders(credentials);
}
