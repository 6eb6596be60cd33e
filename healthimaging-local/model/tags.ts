import type { ModelContext } from './model-context';
import { notFound, validation } from '../shapes/errors';
import { MAX_TAGS_PER_RESOURCE } from '../shapes/quotas';

/** A taggable resource: a data store, or an image set within one. */
export interface TaggedResource {
  datastoreId: string;
  imageSetId?: string | undefined;
}

/** The tags a new resource is created with: at most 50 (docs/healthimaging-behaviour.md#quotas-and-throttling). */
export function checkNewResourceTags(tags: Record<string, string>): void {
  if (Object.keys(tags).length > MAX_TAGS_PER_RESOURCE) {
    throw validation(`At most ${MAX_TAGS_PER_RESOURCE} tags per resource`);
  }
}

/**
 * Tags of live data stores and image sets. A deleted or unknown resource is a 404; a resource's
 * tags go with it when it is deleted (datastore-lifecycle.ts, write-completion.ts).
 */
export class Tags {
  constructor(private readonly ctx: ModelContext) {}

  list(resource: TaggedResource): Record<string, string> {
    return this.ctx.store.tags.list(this.key(resource));
  }

  /** Adds or replaces; refused when the resource would end up with more than 50 tags. */
  tag(resource: TaggedResource, tags: Record<string, string>): void {
    const { store } = this.ctx;
    store.tx(() => {
      const key = this.key(resource);
      const merged = { ...store.tags.list(key), ...tags };
      if (Object.keys(merged).length > MAX_TAGS_PER_RESOURCE) {
        throw validation(`A resource can have at most ${MAX_TAGS_PER_RESOURCE} tags`);
      }
      store.tags.put(key, tags);
    });
  }

  untag(resource: TaggedResource, keys: string[]): void {
    const { store } = this.ctx;
    store.tx(() => store.tags.remove(this.key(resource), keys));
  }

  /** The tag table's key of a live resource: `<datastoreId>` or `<datastoreId>/<imageSetId>`. */
  private key({ datastoreId, imageSetId }: TaggedResource): string {
    const { store } = this.ctx;
    const missing = (): Error => notFound('The resource does not exist');
    const ds = store.datastores.get(datastoreId);
    if (!ds || ds.datastoreStatus === 'DELETED') throw missing();
    if (!imageSetId) return datastoreId;
    const imageSet = store.imageSets.get(datastoreId, imageSetId);
    if (!imageSet || imageSet.state === 'DELETED') throw missing();
    return `${datastoreId}/${imageSetId}`;
  }
}
