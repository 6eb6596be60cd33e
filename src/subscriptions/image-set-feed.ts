import type { Redis } from 'ioredis';
import type { Logger } from '../logging/logger';
import { ImageSetWatches } from './image-set-watches';
import { RedisChangeBus } from './redis-change-bus';
import type { SubscriptionSettings } from './subscription-settings';

export interface ImageSetFeed {
  watches: ImageSetWatches;
  /** Resolves once changes from other replicas arrive (at once without Redis), or after `timeoutMs`. */
  ready(timeoutMs: number): Promise<void>;
  /** Ends every watch and leaves the Redis channel; the Redis client itself stays its owner's. */
  close(): Promise<void>;
}

/** This replica's image set watches, joined to the other replicas' through Redis when there is one. */
export function createImageSetFeed(options: {
  settings: SubscriptionSettings;
  redis?: Redis;
  keyPrefix: string;
  logger: Logger;
}): ImageSetFeed {
  const { settings, redis, keyPrefix, logger } = options;
  const bus = redis
    ? new RedisChangeBus(
        redis,
        keyPrefix,
        // Messages arrive only after construction, when `watches` exists.
        (change, origin) => {
          if (origin !== watches.origin) watches.publish(change, 'remote');
        },
        logger,
      )
    : undefined;
  const watches: ImageSetWatches = new ImageSetWatches({
    pollMinMs: settings.pollMinMs,
    pollMaxMs: settings.pollMaxMs,
    logger,
    ...(bus ? { bus } : {}),
  });
  return {
    watches,
    async ready(timeoutMs) {
      if (!bus) return;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        bus.ready(),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
    },
    async close() {
      watches.close();
      await bus?.close();
    },
  };
}
