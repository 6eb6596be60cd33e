import { ThrottledError } from '../errors/gateway-errors';
import type { ImagingPort } from './imaging-port';
import { metadataBytesOf } from './upstream/metadata-decode';

/**
 * The bound on the metadata one replica holds for the requests it is serving. Decoded documents
 * are what make a request large (a 2,000-instance image set is 3 MB of JSON and several times that
 * once parsed), and a request keeps each one it read until it answers. Every request charges the
 * JSON size of each document it reads to one replica-wide budget and gives it back when it ends;
 * a read that would overdraw the budget fails THROTTLED, so the documents held at once never
 * exceed it whatever the number of requests. The operation cost limit bounds how many documents
 * one request may ask for; this bounds how many bytes all of them hold.
 */
export class MetadataBudget {
  private used = 0;

  constructor(readonly maxBytes: number) {}

  get usedBytes(): number {
    return this.used;
  }

  /** A request's share: charges the budget and releases everything it charged at once. */
  openRequest(): RequestMetadataBudget {
    return new RequestMetadataBudget(this);
  }

  /** @internal */
  tryTake(bytes: number): boolean {
    if (this.used + bytes > this.maxBytes) return false;
    this.used += bytes;
    return true;
  }

  /** @internal */
  give(bytes: number): void {
    this.used = Math.max(0, this.used - bytes);
  }
}

export class RequestMetadataBudget {
  private held = 0;
  private released = false;

  constructor(private readonly budget: MetadataBudget) {}

  charge(bytes: number): void {
    if (this.released || !this.budget.tryTake(bytes)) {
      throw new ThrottledError(
        1,
        'The gateway holds as much DICOM metadata as it may right now; retry shortly or read fewer image sets at once.',
      );
    }
    this.held += bytes;
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    this.budget.give(this.held);
    this.held = 0;
  }

  /** The port as this request sees it: each metadata document it reads is charged here. */
  port(port: ImagingPort): ImagingPort {
    const charged: ImagingPort = Object.create(port) as ImagingPort;
    charged.getImageSetMetadata = async (...read) => {
      const document = await port.getImageSetMetadata(...read);
      this.charge(metadataBytesOf(document));
      return document;
    };
    return charged;
  }
}
