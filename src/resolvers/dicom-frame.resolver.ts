import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import type { FrameUrl } from '../frames/frame-urls';
import { DicomFrame } from '../types/dicom-frame.type';

/** Both fields of a frame read one minted URL, so `url` and `urlExpiresAt` always agree. */
const minted = new WeakMap<DicomFrame, FrameUrl>();

function frameUrlOf(frame: DicomFrame, context: GatewayContext): FrameUrl {
  const known = minted.get(frame);
  if (known) return known;
  const { principal, frameUrls } = context;
  // The parent fields need an authenticated caller and every gateway wires frame URLs: reaching here without is a wiring bug.
  if (!principal || !frameUrls || !frame.source) throw new Error('Frame URLs are not available in this context.');
  const issued = frameUrls.issue(principal, frame.source, frame.id);
  minted.set(frame, issued);
  return issued;
}

@Resolver(() => DicomFrame)
export class DicomFrameResolver {
  @FieldResolver(() => String, {
    description:
      "A short-lived URL (`/frames/<token>`, relative to the gateway's origin) that answers a plain GET with the frame's bytes as HealthImaging stores them, with HealthImaging's content type (e.g. `application/octet-stream` for HTJ2K, or the stored transfer syntax's type). The URL is itself the credential, like an S3 presigned URL: no header is needed and anyone holding it can fetch the frame until `urlExpiresAt`, so treat it like a token (do not log or share it). It is bound to this tenant, data store, image set and frame, stops working when it expires or when the tenant loses its grant to the data store, and reveals no ids or patient data. Each fetch is rate limited and audited as the caller who asked for the URL. Expired, altered or revoked URLs answer 404 with `extensions.code` NOT_FOUND.",
  })
  url(@Root() frame: DicomFrame, @Ctx() context: GatewayContext): string {
    return frameUrlOf(frame, context).url;
  }

  @FieldResolver(() => Date, {
    description:
      'When `url` stops working (by default five minutes after it was issued, at least 90% of that); ask for the frame again for a fresh URL.',
  })
  urlExpiresAt(@Root() frame: DicomFrame, @Ctx() context: GatewayContext): Date {
    return frameUrlOf(frame, context).expiresAt;
  }
}
