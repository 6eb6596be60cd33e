import {
  CopyImageSetCommand,
  DeleteImageSetCommand,
  UpdateImageSetMetadataCommand,
  type MedicalImagingClient,
} from '@aws-sdk/client-medical-imaging';
import type { CopyImageSetRequest, UpdateImageSetMetadataRequest } from '../imaging-port';
import type { CopyResultRecord, DeleteResultRecord, UpdateResultRecord } from '../records';
import type { WriteOutcome } from './retry-policy';
import { toCopyResultRecord, toDeleteResultRecord, toUpdateResultRecord } from './to-records';
import type { UpstreamCaller } from './upstream-caller';
import { toCopyCommandInput, toUpdateCommandInput } from './write-requests';

/**
 * The three upstream writes, each one `caller.write` (which decides whether a failure may be
 * retried) around one SDK send. What to do with a failure that is not retried (map it, or
 * reconcile an ambiguous one) is the caller's business: see src/imaging/writes/image-set-writes.ts.
 */
export class UpstreamWrites {
  constructor(
    private readonly caller: UpstreamCaller,
    private readonly client: MedicalImagingClient,
  ) {}

  async copy(input: CopyImageSetRequest): Promise<WriteOutcome<CopyResultRecord>> {
    const request = toCopyCommandInput(input);
    const outcome = await this.caller.write({ operation: 'CopyImageSet' }, (abortSignal) =>
      this.client.send(new CopyImageSetCommand(request), { abortSignal }),
    );
    return outcome.ok ? { ok: true, value: toCopyResultRecord(outcome.value) } : outcome;
  }

  async update(input: UpdateImageSetMetadataRequest): Promise<WriteOutcome<UpdateResultRecord>> {
    const request = toUpdateCommandInput(input);
    const outcome = await this.caller.write({ operation: 'UpdateImageSetMetadata' }, (abortSignal) =>
      this.client.send(new UpdateImageSetMetadataCommand(request), { abortSignal }),
    );
    return outcome.ok ? { ok: true, value: toUpdateResultRecord(outcome.value) } : outcome;
  }

  async delete(datastoreId: string, imageSetId: string): Promise<WriteOutcome<DeleteResultRecord>> {
    const outcome = await this.caller.write({ operation: 'DeleteImageSet' }, (abortSignal) =>
      this.client.send(new DeleteImageSetCommand({ datastoreId, imageSetId }), { abortSignal }),
    );
    return outcome.ok ? { ok: true, value: toDeleteResultRecord(outcome.value) } : outcome;
  }
}
