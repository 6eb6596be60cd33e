import { createHash } from 'node:crypto';
import type { Principal } from '../auth/principal';
import type { TenantConfig } from '../tenants/tenant-config';

/**
 * Trusted documents: a tenant, or one of its API keys, may be restricted to an allow-list of
 * GraphQL documents, named by the SHA-256 of their exact text (the id Apollo's persisted queries
 * send as `extensions.persistedQuery.sha256Hash`). A key's own list replaces its tenant's.
 */

const HEX_ID = /^[0-9a-f]{64}$/;

/** The id of a document: lowercase hex SHA-256 of its UTF-8 text. */
export function documentIdOf(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** `sha256:<hex>` or `<hex>` to the bare lowercase hex; undefined when it is neither. */
export function normalizeDocumentId(id: string): string | undefined {
  const bare = id.startsWith('sha256:') ? id.slice('sha256:'.length) : id;
  const lower = bare.toLowerCase();
  return HEX_ID.test(lower) ? lower : undefined;
}

/** The documents this caller may run; undefined when it may run any. */
export function trustedDocumentsFor(tenant: TenantConfig, principal: Principal): ReadonlySet<string> | undefined {
  if (principal.method === 'api-key') {
    const key = tenant.apiKeys.find((candidate) => candidate.id === principal.subject);
    if (key?.trustedDocuments) return key.trustedDocuments;
  }
  return tenant.trustedDocuments;
}
