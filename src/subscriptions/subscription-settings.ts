/** The limits and pacing of subscriptions (SUBSCRIPTION_* variables, see src/config.ts). */
export interface SubscriptionSettings {
  /** SUBSCRIPTIONS_PER_CREDENTIAL: subscriptions one credential may hold at once on one replica. */
  readonly maxPerCredential: number;
  /** SUBSCRIPTION_IDLE_TIMEOUT_MS: a connection with no subscription for this long is closed. */
  readonly idleTimeoutMs: number;
  /** SUBSCRIPTION_POLL_MIN_MS: the shared pollers' interval after a change... */
  readonly pollMinMs: number;
  /** SUBSCRIPTION_POLL_MAX_MS: ...backing off (doubling) to this one while nothing changes. */
  readonly pollMaxMs: number;
}

export const DEFAULT_SUBSCRIPTION_SETTINGS: SubscriptionSettings = Object.freeze({
  maxPerCredential: 10,
  idleTimeoutMs: 60_000,
  pollMinMs: 500,
  pollMaxMs: 5_000,
});
