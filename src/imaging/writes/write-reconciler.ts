import { NotFoundError } from '../../errors/gateway-errors';
import type { CopyImageSetRequest, UpdateImageSetMetadataRequest } from '../imaging-port';
import type {
  CopyResultRecord,
  DeleteResultRecord,
  ImageSetRecord,
  ImageSetVersionRecord,
  UpdateResultRecord,
} from '../records';
import { toSearchCriteria } from '../upstream/search-criteria';
import { MAX_UPSTREAM_PAGE_SIZE } from '../request-checks';
import type { CallContext } from '../upstream/upstream-caller';
import type { UpstreamReads } from '../upstream/upstream-reads';
import { nextVersionId } from '../version-ids';
import {
  COPY_WORKFLOW_STATUSES,
  DELETE_WORKFLOW_STATUSES,
  UPDATE_WORKFLOW_STATUSES,
  copySideFrom,
  findWrittenVersion,
  pickNewCopyDestination,
  type WriteWindow,
} from './written-version-evidence';
import { AnsweredCopies } from './answered-copies';

/** Reconciliation looks at this many candidate image sets at most (each costs a GetImageSet). */
const MAX_RECONCILE_CANDIDATES = 5;
const RECONCILE_VERSIONS_PAGE = 10;

const reconciling = (operation: string): CallContext => ({ operation, reconciling: true });

/**
 * After an ambiguous write failure (5xx, timeout, reset): reads what HealthImaging now holds and
 * answers the write's result only when the evidence proves it was applied (the rules are in
 * `written-version-evidence.ts`); `undefined` means "unknown". It reads, never resends, and every read
 * failure counts as "unknown" rather than as an answer.
 */
export class WriteReconciler {
  constructor(
    private readonly reads: UpstreamReads,
    private readonly clock: () => Date,
    private readonly answeredCopies = new AnsweredCopies(),
  ) {}

  async update(input: UpdateImageSetMetadataRequest, window: WriteWindow): Promise<UpdateResultRecord | undefined> {
    const { datastoreId, imageSetId } = input;
    const written = await this.writtenVersion(
      datastoreId,
      imageSetId,
      { previousVersionId: input.latestVersionId, statuses: UPDATE_WORKFLOW_STATUSES },
      window,
    );
    if (!written) return undefined;
    const result: UpdateResultRecord = {
      datastoreId,
      imageSetId,
      latestVersionId: written.versionId,
      state: written.state,
    };
    if (written.workflowStatus !== undefined) result.workflowStatus = written.workflowStatus;
    if (written.createdAt !== undefined) result.createdAt = written.createdAt;
    if (written.updatedAt !== undefined) result.updatedAt = written.updatedAt;
    if (written.message !== undefined) result.message = written.message;
    return result;
  }

  async copy(input: CopyImageSetRequest, window: WriteWindow): Promise<CopyResultRecord | undefined> {
    const { datastoreId, sourceImageSetId, destination } = input;
    const destinationRecord = destination
      ? await this.writtenVersion(
          datastoreId,
          destination.imageSetId,
          { previousVersionId: destination.latestVersionId, statuses: COPY_WORKFLOW_STATUSES },
          window,
        )
      : await this.newCopyDestination(input, window);
    if (!destinationRecord) return undefined;
    const source = await attempt(() => this.reads.imageSet(reconciling('GetImageSet'), datastoreId, sourceImageSetId));
    return {
      datastoreId,
      source: source
        ? copySideFrom(source)
        : { imageSetId: sourceImageSetId, latestVersionId: input.sourceLatestVersionId },
      destination: copySideFrom(destinationRecord),
    };
  }

  /**
   * A deletion is visible on the image set itself: LOCKED/DELETING, then DELETED, then gone (reads
   * answer not found). Any other state proves nothing: the request may still be queued. "Gone" is
   * accepted although an image set that never existed looks the same: the request would then have
   * answered NOT_FOUND, and the end state the caller asked for holds either way.
   */
  async delete(datastoreId: string, imageSetId: string): Promise<DeleteResultRecord | undefined> {
    let latest: ImageSetRecord;
    try {
      latest = await this.reads.imageSet(reconciling('GetImageSet'), datastoreId, imageSetId);
    } catch (error) {
      if (error instanceof NotFoundError)
        return { datastoreId, imageSetId, state: 'DELETED', workflowStatus: 'DELETED' };
      return undefined;
    }
    const deleting = latest.workflowStatus !== undefined && DELETE_WORKFLOW_STATUSES.includes(latest.workflowStatus);
    if (latest.state !== 'DELETED' && !deleting) return undefined;
    return { datastoreId, imageSetId, state: latest.state, workflowStatus: latest.workflowStatus ?? 'DELETED' };
  }

  /** Reads the image set and its newest versions to find the version a write would have made. */
  private async writtenVersion(
    datastoreId: string,
    imageSetId: string,
    expected: { previousVersionId: string; statuses: readonly string[] },
    window: WriteWindow,
  ): Promise<ImageSetVersionRecord | undefined> {
    const latest = await attempt(() => this.reads.imageSet(reconciling('GetImageSet'), datastoreId, imageSetId));
    if (!latest) return undefined;
    let versions: readonly ImageSetVersionRecord[] = [];
    if (latest.versionId !== nextVersionId(expected.previousVersionId)) {
      const page = await attempt(() =>
        this.reads.versions(reconciling('ListImageSetVersions'), datastoreId, imageSetId, {
          maxResults: RECONCILE_VERSIONS_PAGE,
        }),
      );
      versions = page?.items ?? [];
    }
    return findWrittenVersion({ latest, versions }, expected, window);
  }

  /**
   * A copy into a new image set names no id we could read back. The new set shares the source's
   * series, so it is searched for by that series and a creation time after the call started; it
   * counts only when exactly one such set exists (see `pickNewCopyDestination`).
   */
  private async newCopyDestination(
    input: CopyImageSetRequest,
    window: WriteWindow,
  ): Promise<ImageSetRecord | undefined> {
    const { datastoreId, sourceImageSetId } = input;
    let seriesUids = Object.keys(input.copiableAttributes?.Study?.Series ?? {});
    if (seriesUids.length === 0) {
      const metadata = await attempt(() =>
        this.reads.metadata(
          reconciling('GetImageSetMetadata'),
          datastoreId,
          sourceImageSetId,
          input.sourceLatestVersionId,
        ),
      );
      seriesUids = Object.keys(metadata?.Study.Series ?? {});
    }
    if (seriesUids.length !== 1) return undefined;
    const createdAt = {
      from: new Date(window.startedAt.getTime() - window.clockSkewMs),
      to: new Date(this.clock().getTime() + window.clockSkewMs),
    };
    const found = await attempt(() =>
      this.reads.search(
        reconciling('SearchImageSets'),
        datastoreId,
        toSearchCriteria({ seriesInstanceUid: seriesUids[0], createdAt }),
        {
          maxResults: MAX_UPSTREAM_PAGE_SIZE,
        },
      ),
    );
    if (!found) return undefined;
    const summaries = found.items.filter(
      (summary) => summary.imageSetId !== sourceImageSetId && summary.versionId === '1',
    );
    // An unseen page could hold another candidate, so a partial answer proves nothing.
    if (found.nextToken || summaries.length === 0 || summaries.length > MAX_RECONCILE_CANDIDATES) return undefined;
    const candidates: ImageSetRecord[] = [];
    for (const summary of summaries) {
      const record = await attempt(() =>
        this.reads.imageSet(reconciling('GetImageSet'), datastoreId, summary.imageSetId),
      );
      if (!record) return undefined;
      candidates.push(record);
    }
    return pickNewCopyDestination(
      candidates,
      {
        sourceImageSetId,
        promoteToPrimary: input.promoteToPrimary === true,
        answered: (imageSetId) => this.answeredCopies.has(datastoreId, imageSetId),
      },
      window,
    );
  }
}

/** A reconciliation read: its failure means "unknown", never an answer. */
async function attempt<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch {
    return undefined;
  }
}
