import { documentHash, type AuditEntry } from '../audit/audit-record';
import type { FrameGrant } from './frame-tokens';

/** The trail's `action` of a frame fetch. */
export const FRAME_AUDIT_ACTION = 'getImageFrame';
/**
 * What a frame fetch reads. Pixels can carry burned-in annotations (names, dates), so a fetch is
 * recorded like a read that returned PHI, under a category of its own.
 */
export const FRAME_DATA_CATEGORY = 'pixel-data';
/** A frame fetch runs no GraphQL document; the trail's document hash names the route instead. */
export const FRAME_ROUTE = 'GET /frames/{token}';

/**
 * The audit entry of one frame served: who (the credential that asked for the URL), which image
 * set and version, and the HealthImaging request id of the GetImageFrame call, which names the
 * frame upstream. Ids only, as every entry.
 */
export function frameAuditEntry(
  grant: FrameGrant,
  facts: { requestId: string; upstreamRequestIds: readonly string[]; occurredAt: Date },
): AuditEntry {
  return {
    occurredAt: facts.occurredAt,
    requestId: facts.requestId,
    tenantId: grant.tenantId,
    subject: grant.subject,
    client: grant.method === 'api-key' ? grant.subject : (grant.client ?? grant.subject),
    clientKind: grant.method,
    operationName: null,
    operationType: 'query',
    documentHash: documentHash(FRAME_ROUTE),
    action: FRAME_AUDIT_ACTION,
    datastoreId: grant.datastoreId,
    imageSetId: grant.imageSetId,
    versionId: grant.versionId ?? null,
    dataCategories: [FRAME_DATA_CATEGORY],
    outcome: 'OK',
    upstreamRequestIds: [...facts.upstreamRequestIds],
  };
}
