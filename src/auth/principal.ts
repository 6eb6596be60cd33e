/** The scopes the gateway knows. A principal holds a subset. */
export const SCOPES = ['imagesets:read', 'imagesets:write', 'imagesets:delete'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: established once per request by `authenticate` and never changed after. */
export interface Principal {
  tenantId: string;
  /** JWT `sub`, or the API key's id (never the key itself). */
  subject: string;
  scopes: readonly Scope[];
  method: 'jwt' | 'api-key';
}
