import type { Redis } from 'ioredis';
import { describeError, silentLogger, type Logger } from '../logging/logger';
import { decodeChange, encodeChange } from './change-wire';
import type { ImageSetChange } from './image-set-change';
import type { ChangeBus } from './image-set-watches';

/**
 * Image set changes shared between replicas over Redis pub/sub, so a write answered by one replica,
 * or a state one replica's poller saw, reaches the subscribers held by the others at once. Best
 * effort: while Redis is down each replica's own pollers still feed its subscribers (later, at
 * their back-off), and nothing waits on Redis. A subscribing connection cannot send other
 * commands, so it is a duplicate of the gateway's client.
 */
const SUBSCRIBE_TIMEOUT_MS = 5000;

export class RedisChangeBus implements ChangeBus {
  private readonly channel: string;
  private readonly subscriber: Redis;
  private readonly logger: Logger;
  private publishFailing = false;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    onRemote: (change: ImageSetChange, origin: string) => void,
    logger?: Logger,
  ) {
    this.logger = logger ?? silentLogger;
    this.channel = `${keyPrefix}subscriptions:image-set-changed`;
    // Queued until connected (the gateway's client fails fast instead), retried across reconnects,
    // and re-subscribed on every ready: a SUBSCRIBE lost to an outage is sent again. Nothing waits
    // on it, so its timeout only has to be finite.
    this.subscriber = redis.duplicate({
      enableOfflineQueue: true,
      maxRetriesPerRequest: null,
      commandTimeout: SUBSCRIBE_TIMEOUT_MS,
    });
    this.subscriber.on('error', () => undefined);
    this.subscriber.on('ready', () => void this.listen());
    this.subscriber.on('message', (channel: string, text: string) => {
      if (channel !== this.channel) return;
      const message = decodeChange(text);
      if (!message) {
        this.logger.warn('subscriptions.bus_message_dropped', { reason: 'malformed' });
        return;
      }
      onRemote(message.change, message.origin);
    });
  }

  publish(origin: string, change: ImageSetChange): void {
    this.redis.publish(this.channel, encodeChange(origin, change)).then(
      () => {
        if (this.publishFailing) this.logger.info('subscriptions.bus_restored', {});
        this.publishFailing = false;
      },
      (error: unknown) => {
        if (!this.publishFailing) this.logger.warn('subscriptions.bus_unavailable', describeError(error));
        this.publishFailing = true;
      },
    );
  }

  /** Resolves once this replica listens (tests wait for it before publishing from another). */
  async ready(): Promise<void> {
    await this.listen();
  }

  async close(): Promise<void> {
    this.subscriber.removeAllListeners('ready');
    if (this.subscriber.status === 'ready') {
      try {
        await this.subscriber.quit();
        return;
      } catch {
        // Cut below.
      }
    }
    this.subscriber.disconnect();
  }

  private async listen(): Promise<void> {
    try {
      await this.subscriber.subscribe(this.channel);
    } catch (error) {
      this.logger.warn('subscriptions.bus_subscribe_failed', describeError(error));
    }
  }
}
