import { IncomingMessage } from 'node:http';
import { Readable } from 'node:stream';
import { GetImageFrameCommand, type MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import type { ImageFrameRecord } from '../imaging-port';
import type { CallContext, UpstreamCaller } from './upstream-caller';
import { discardStream } from './upstream-errors';

/** HealthImaging's content type when it names none (the API reference's default for frames). */
const DEFAULT_FRAME_CONTENT_TYPE = 'application/octet-stream';
/** What a content type may be echoed as: a type, a subtype and simple parameters, nothing a header could be split with. */
const CONTENT_TYPE =
  /^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(?:\s*;\s*[A-Za-z0-9!#$&^_.+-]+=(?:[A-Za-z0-9!#$&^_.+-]+|"[^"\\\r\n]*"))*$/;

/**
 * GetImageFrame, streamed. The call counts against the tenant's upstream bound and retry policy
 * until HealthImaging's headers arrive; the body is handed over unread, so a frame is never held
 * in memory whole, and the reader decides its pace (backpressure) or destroys it.
 */
export class UpstreamFrames {
  constructor(
    private readonly caller: UpstreamCaller,
    private readonly client: MedicalImagingClient,
  ) {}

  async frame(
    context: CallContext,
    datastoreId: string,
    imageSetId: string,
    imageFrameId: string,
  ): Promise<ImageFrameRecord> {
    const output = await this.caller.read(context, (abortSignal) =>
      this.client.send(new GetImageFrameCommand({ datastoreId, imageSetId, imageFrameInformation: { imageFrameId } }), {
        abortSignal,
      }),
    );
    const blob: unknown = output.imageFrameBlob;
    if (!(blob instanceof Readable)) {
      discardStream(blob);
      throw new Error('HealthImaging answered GetImageFrame without a readable body.');
    }
    const contentLength = lengthOf(blob);
    return {
      contentType: contentTypeOf(output.contentType),
      ...(contentLength !== undefined ? { contentLength } : {}),
      body: blob,
    };
  }
}

function contentTypeOf(reported: string | undefined): string {
  const trimmed = reported?.trim();
  return trimmed !== undefined && trimmed.length <= 200 && CONTENT_TYPE.test(trimmed)
    ? trimmed
    : DEFAULT_FRAME_CONTENT_TYPE;
}

/** The SDK's Node body is the HTTP response itself; its Content-Length, when the upstream sent one. */
function lengthOf(body: Readable): number | undefined {
  if (!(body instanceof IncomingMessage)) return undefined;
  const declared = body.headers['content-length'];
  return declared !== undefined && /^\d{1,15}$/.test(declared) ? Number(declared) : undefined;
}
