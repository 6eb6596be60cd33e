import { registerEnumType } from 'type-graphql';
import { isMember } from './enum-member';

/**
 * Upstream enums are open (the SDK types them as strings and AWS has added values since launch),
 * so every enum the gateway maps from HealthImaging has an UNKNOWN member: a new upstream value
 * degrades to UNKNOWN instead of failing the whole response with a serialization error.
 */
export enum ImageSetState {
  ACTIVE = 'ACTIVE',
  LOCKED = 'LOCKED',
  DELETED = 'DELETED',
  UNKNOWN = 'UNKNOWN',
}

registerEnumType(ImageSetState, {
  name: 'ImageSetState',
  description:
    'The coarse lock of an image set. Writes answer with LOCKED and finish asynchronously; poll `ImageSet.state` until it is ACTIVE again.',
  valuesConfig: {
    ACTIVE: { description: 'Readable and writable.' },
    LOCKED: { description: 'An asynchronous write is running; no other write may start until it finishes.' },
    DELETED: { description: 'The image set was deleted.' },
    UNKNOWN: { description: 'HealthImaging reported a state this gateway version does not know.' },
  },
});

export function toImageSetState(raw: string | undefined): ImageSetState {
  return raw !== undefined && isMember(ImageSetState, raw) ? raw : ImageSetState.UNKNOWN;
}
