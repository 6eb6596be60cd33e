import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { matchRestRoute } from '../../workloads/rest-routes';
import { ApiKeyAuth } from './api-key-auth';
import { imageSetStatusOf, metadataDetail, setStudyDescription, studyBrowser, viewerHeader } from './handlers';

/** A tenant as the hand-written server needs it: its grant and its own SDK client. */
export interface HandWrittenTenant {
  id: string;
  datastoreIds: readonly string[];
  client: MedicalImagingClient;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const UPSTREAM_STATUS: Record<string, [number, string]> = {
  ResourceNotFoundException: [404, 'NOT_FOUND'],
  ConflictException: [409, 'VERSION_CONFLICT'],
  ValidationException: [400, 'BAD_REQUEST'],
  AccessDeniedException: [403, 'FORBIDDEN'],
  ThrottlingException: [429, 'THROTTLED'],
  ServiceQuotaExceededException: [429, 'THROTTLED'],
};

const MAX_BODY_BYTES = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) reject(new HttpError(413, 'PAYLOAD_TOO_LARGE', 'Request body too large.'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, payload: unknown): void {
  const body = `${JSON.stringify(payload)}\n`;
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}

function parseUpdate(body: string): { latestVersionId: string; studyDescription: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new HttpError(400, 'BAD_REQUEST', 'The body is not JSON.');
  }
  const { latestVersionId, studyDescription } = (parsed ?? {}) as Record<string, unknown>;
  if (typeof latestVersionId !== 'string' || !/^\d+$/.test(latestVersionId))
    throw new HttpError(400, 'BAD_REQUEST', 'latestVersionId must be a version id.');
  if (typeof studyDescription !== 'string' || studyDescription.length > 64)
    throw new HttpError(400, 'BAD_REQUEST', 'studyDescription must be a string of at most 64 characters.');
  return { latestVersionId, studyDescription };
}

/**
 * The minimal server a team writes for its own frontend: API-key auth, the tenant's data store
 * grant, one handler per route, upstream errors mapped to statuses. No GraphQL, no caching.
 */
export function createHandWrittenServer(tenants: Array<{ sha256: string; tenant: HandWrittenTenant }>): Server {
  const auth = new ApiKeyAuth(tenants.map(({ sha256, tenant }) => ({ sha256, owner: tenant })));

  const handle = async (req: IncomingMessage): Promise<unknown> => {
    const [path = '/'] = (req.url ?? '/').split('?');
    const route = matchRestRoute(req.method ?? 'GET', path);
    if (!route) throw new HttpError(404, 'NOT_FOUND', 'No such route.');
    const tenant = auth.owner(req.headers);
    if (!tenant) throw new HttpError(401, 'UNAUTHENTICATED', 'A valid x-api-key is required.');
    // Outside the grant answers exactly like a missing data store.
    if (!tenant.datastoreIds.includes(route.datastoreId)) throw new HttpError(404, 'NOT_FOUND', 'No such data store.');
    const { client } = tenant;
    const { datastoreId, imageSetId = '' } = route;
    switch (route.route) {
      case 'viewerHeader':
        return viewerHeader(client, datastoreId, imageSetId);
      case 'studyBrowser':
        return studyBrowser(client, datastoreId);
      case 'metadataDetail':
        return metadataDetail(client, datastoreId, imageSetId);
      case 'studyDescription':
        return setStudyDescription(client, datastoreId, imageSetId, parseUpdate(await readBody(req)));
      case 'status':
        return imageSetStatusOf(client, datastoreId, imageSetId);
    }
  };

  return createServer((req, res) => {
    handle(req).then(
      (data) => send(res, 200, { data }),
      (error: unknown) => {
        if (error instanceof HttpError) {
          send(res, error.status, { errors: [{ message: error.message, code: error.code }] });
          return;
        }
        const name = error instanceof Error ? error.name : '';
        const [status, code] = UPSTREAM_STATUS[name] ?? [502, 'UPSTREAM_ERROR'];
        // Upstream messages can quote request values: only the code leaves the server.
        send(res, status, { errors: [{ message: `HealthImaging answered ${name || 'an error'}.`, code }] });
      },
    );
  });
}
