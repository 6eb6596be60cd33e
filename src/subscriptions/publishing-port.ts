import type { ImagingPort } from '../imaging/imaging-port';
import { changeOfDelete, changeOfUpdate, changesOfCopy, type ImageSetChange } from './image-set-change';

type Writes = Pick<ImagingPort, 'copyImageSet' | 'updateImageSetMetadata' | 'deleteImageSet'>;

/**
 * The one place the gateway's own writes feed subscriptions: the tenant's port, with each write's
 * answer (LOCKED, …ING, the version it created) published as soon as HealthImaging gave it, so
 * subscribers see a write start without waiting for a poll. Everything else (reads, and any
 * method the port gains later) passes through to the port itself.
 */
export function publishingPort(port: ImagingPort, publishChange: (change: ImageSetChange) => void): ImagingPort {
  const tenantId = port.tenantId;
  // The write happened whatever becomes of its notice: subscribers would still see it by polling.
  const publish = (change: ImageSetChange): void => {
    try {
      publishChange(change);
    } catch {
      return;
    }
  };
  const writes: Writes = {
    async copyImageSet(input) {
      const result = await port.copyImageSet(input);
      for (const change of changesOfCopy(tenantId, result)) publish(change);
      return result;
    },
    async updateImageSetMetadata(input) {
      const result = await port.updateImageSetMetadata(input);
      publish(changeOfUpdate(tenantId, result));
      return result;
    },
    async deleteImageSet(datastoreId, imageSetId) {
      const result = await port.deleteImageSet(datastoreId, imageSetId);
      publish(changeOfDelete(tenantId, result));
      return result;
    },
  };
  return new Proxy(port, {
    get(target, property) {
      if (typeof property === 'string' && Object.prototype.hasOwnProperty.call(writes, property)) {
        return writes[property as keyof Writes];
      }
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
