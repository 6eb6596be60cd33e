import { WRITE_READ_BACK, WRITE_UPDATE } from './graphql-documents';
import { graphqlRequest, restGet } from './read-requests';
import { REST_ROUTES } from './rest-routes';
import type { ApiStyle, RequestTemplate } from './variants';

/**
 * (d) the write mix: set an image set's study description, then read the image set back. Each
 * operation checks out an idle image set of the pool with its current latest version id, and
 * returns it with the version the read-back reports. Bodies differ per operation (new version
 * ids), so they are checked by structure instead of byte for byte.
 */
export interface WriteTarget {
  datastoreId: string;
  imageSetId: string;
  latestVersionId: string;
}

export function updateRequest(
  style: ApiStyle,
  target: WriteTarget,
  studyDescription: string,
  apiKey: string,
): RequestTemplate {
  if (style === 'graphql') {
    return graphqlRequest(apiKey, WRITE_UPDATE, {
      input: {
        datastoreId: target.datastoreId,
        imageSetId: target.imageSetId,
        latestVersionId: target.latestVersionId,
        updates: { study: { StudyDescription: studyDescription } },
      },
    });
  }
  return {
    method: 'POST',
    path: REST_ROUTES.studyDescription(target.datastoreId, target.imageSetId),
    headers: { 'content-type': 'application/json', 'x-api-key': apiKey },
    body: JSON.stringify({ latestVersionId: target.latestVersionId, studyDescription }),
  };
}

export function readBackRequest(
  style: ApiStyle,
  target: Pick<WriteTarget, 'datastoreId' | 'imageSetId'>,
  apiKey: string,
): RequestTemplate {
  return style === 'graphql'
    ? graphqlRequest(apiKey, WRITE_READ_BACK, { datastoreId: target.datastoreId, imageSetId: target.imageSetId })
    : restGet(apiKey, REST_ROUTES.status(target.datastoreId, target.imageSetId));
}

export type Checked<T> = ({ ok: true } & T) | { ok: false; reason: string };

interface ImageSetStatus {
  imageSetId?: unknown;
  state?: unknown;
  workflowStatus?: unknown;
  latestVersionId?: unknown;
}

function parseData(status: number, body: string): Checked<{ data: Record<string, unknown> }> {
  if (status !== 200) return { ok: false, reason: `HTTP ${status}: ${body.slice(0, 200)}` };
  let parsed: { data?: Record<string, unknown>; errors?: unknown };
  try {
    parsed = JSON.parse(body) as typeof parsed;
  } catch {
    return { ok: false, reason: `not JSON: ${body.slice(0, 200)}` };
  }
  if (parsed.errors !== undefined)
    return { ok: false, reason: `errors: ${JSON.stringify(parsed.errors).slice(0, 300)}` };
  if (!parsed.data) return { ok: false, reason: 'no data' };
  return { ok: true, data: parsed.data };
}

/** The update was accepted for exactly the next version of the image set checked out. */
export function checkUpdateResponse(
  status: number,
  body: string,
  target: WriteTarget,
): Checked<{ newVersionId: string }> {
  const parsed = parseData(status, body);
  if (!parsed.ok) return parsed;
  const payload = parsed.data.updateImageSetMetadata as
    { imageSet?: ImageSetStatus; version?: { versionId?: unknown } } | undefined;
  const expected = String(Number(target.latestVersionId) + 1);
  const imageSet = payload?.imageSet;
  if (!imageSet || imageSet.imageSetId !== target.imageSetId)
    return { ok: false, reason: 'update answered another image set' };
  if (imageSet.latestVersionId !== expected || payload?.version?.versionId !== expected) {
    return { ok: false, reason: `update created version ${String(imageSet.latestVersionId)}, expected ${expected}` };
  }
  // The write is asynchronous upstream: the answer shows it running, or already done.
  if (!['LOCKED', 'ACTIVE'].includes(String(imageSet.state)))
    return { ok: false, reason: `update state ${String(imageSet.state)}` };
  if (!['UPDATING', 'UPDATED'].includes(String(imageSet.workflowStatus))) {
    return { ok: false, reason: `update workflow status ${String(imageSet.workflowStatus)}` };
  }
  return { ok: true, newVersionId: expected };
}

/** The read-back shows the version the update created (still running, or done). */
export function checkReadBack(
  status: number,
  body: string,
  imageSetId: string,
  newVersionId: string | undefined,
): Checked<{ latestVersionId: string }> {
  const parsed = parseData(status, body);
  if (!parsed.ok) return parsed;
  const imageSet = parsed.data.imageSet as ImageSetStatus | undefined;
  if (!imageSet || imageSet.imageSetId !== imageSetId)
    return { ok: false, reason: 'read-back answered another image set' };
  const latestVersionId = String(imageSet.latestVersionId);
  if (newVersionId !== undefined && latestVersionId !== newVersionId) {
    return { ok: false, reason: `read-back shows version ${latestVersionId}, expected ${newVersionId}` };
  }
  if (!['LOCKED', 'ACTIVE'].includes(String(imageSet.state)))
    return { ok: false, reason: `read-back state ${String(imageSet.state)}` };
  if (!['UPDATING', 'UPDATED'].includes(String(imageSet.workflowStatus))) {
    return { ok: false, reason: `read-back workflow status ${String(imageSet.workflowStatus)}` };
  }
  return { ok: true, latestVersionId };
}

/**
 * Idle image sets, least recently used first. Pool size is at least twice the connection count,
 * so an image set comes back into use only after dozens of other operations: its previous update
 * (completed upstream on the next timer tick) is long finished.
 */
export class WritePool {
  private readonly idle: WriteTarget[];
  private readonly waiting: Array<(target: WriteTarget) => void> = [];
  private counter = 0;

  constructor(targets: readonly WriteTarget[]) {
    if (targets.length === 0) throw new Error('The write pool is empty.');
    this.idle = targets.map((target) => ({ ...target }));
  }

  checkout(): WriteTarget {
    const target = this.idle.shift();
    // More operations in flight than image sets: reusing one would make a stale-version conflict.
    if (!target) throw new Error('The write pool ran dry: more operations in flight than image sets.');
    return target;
  }

  /**
   * For open-loop load: when every image set is busy the operation waits for one, and the wait
   * counts as its latency (a client cannot start an update on a set whose last one is running).
   */
  acquire(): Promise<WriteTarget> {
    const target = this.idle.shift();
    if (target) return Promise.resolve(target);
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  checkin(target: WriteTarget): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter({ ...target });
    else this.idle.push({ ...target });
  }

  get available(): number {
    return this.idle.length;
  }

  /** A new study description per update, so that every update really changes the document. */
  nextDescription(): string {
    this.counter += 1;
    return `WRITE MIX ${this.counter}`;
  }

  snapshot(): WriteTarget[] {
    return this.idle.map((target) => ({ ...target }));
  }
}
