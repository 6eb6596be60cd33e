/**
 * The scopes the gateway knows. A principal holds a subset. `phi:read` unlocks the attributes of
 * the DICOM Basic Application Level Confidentiality Profile (names, ids, dates, ...); without it
 * they are withheld. `audit:read` reads the tenant's audit trail.
 */
export const SCOPES = ['imagesets:read', 'imagesets:write', 'imagesets:delete', 'phi:read', 'audit:read'] as const;
export type Scope = (typeof SCOPES)[number];

/** Who is calling: established once per request by `authenticate` and never changed after. */
export interface Principal {
  tenantId: string;
  /** JWT `sub`, or the API key's id (never the key itself). */
  subject: string;
  scopes: readonly Scope[];
  method: 'jwt' | 'api-key';
  /** The JWT's `azp` (the OAuth client the token was issued to), when present: the audit trail names it. */
  client?: string;
}
