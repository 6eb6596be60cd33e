import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { MedicalImagingClient } from '@aws-sdk/client-medical-imaging';
import { fromNodeProviderChain, fromTemporaryCredentials } from '@aws-sdk/credential-providers';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';
import type { TenantUpstreamConfig } from '../../tenants/tenant-config';
import { currentCallSignal, withCallSignal } from './request-signal';
import { passTraceContext } from './trace-context';

/** The client type, for the layers above that hold a client but never send through it themselves. */
export type { MedicalImagingClient };

/** Session name used for assumed roles when the tenant file names none (shows up in CloudTrail). */
export const DEFAULT_ROLE_SESSION_NAME = 'healthimaging-graphql-gateway';

/**
 * The one place an SDK client is built. One client per tenant: its credentials are the tenant's
 * own, and its sockets are kept alive across requests.
 */
export function createMedicalImagingClient(upstream: TenantUpstreamConfig): MedicalImagingClient {
  const agentOptions = { keepAlive: true, maxSockets: Math.max(upstream.maxConcurrency * 4, 50) };
  const requestHandler = new CallSignalHttpHandler({
    connectionTimeout: upstream.connectionTimeoutMs,
    requestTimeout: upstream.requestTimeoutMs,
    // Without this the handler only logs a warning when requestTimeout passes, and a hung
    // upstream would hold the GraphQL request forever.
    throwOnRequestTimeout: true,
    httpAgent: new HttpAgent(agentOptions),
    httpsAgent: new HttpsAgent(agentOptions),
  });

  const client = new MedicalImagingClient({
    region: upstream.region,
    credentials: credentialsFor(upstream),
    requestHandler,
    // Our own retry policy decides (src/imaging/upstream/retry-policy.ts): the SDK's default would resend
    // non-idempotent writes after a 5xx or a timeout.
    maxAttempts: 1,
    // Resolve each command's middleware stack once, not on every send (a large share of the SDK's
    // CPU per call); the stack is complete here, before the first send. It holds only for sends
    // without per-call options, hence sendsWithoutOptions below.
    cacheMiddleware: true,
    ...(upstream.endpoint !== undefined
      ? {
          endpoint: upstream.endpoint,
          // The SDK otherwise glues `runtime-` onto the custom host of the image-set operations.
          disableHostPrefix: true,
        }
      : {}),
  });
  passTraceContext(client);
  return sendsWithoutOptions(client);
}

/**
 * The upstream caller hands each send an abort signal (src/imaging/upstream/upstream-caller.ts).
 * Passed as a per-call option it would make the SDK resolve the middleware stack again and drop
 * its cache, so it travels by async context to the HTTP handler instead, which aborts the request
 * exactly as the option would.
 */
function sendsWithoutOptions(client: MedicalImagingClient): MedicalImagingClient {
  const send = client.send.bind(client) as (command: unknown, options?: unknown, callback?: unknown) => unknown;
  const routed = (command: unknown, options?: unknown, callback?: unknown): unknown => {
    if (callback === undefined && isOnlyAbortSignal(options)) {
      return withCallSignal(options.abortSignal, () => send(command));
    }
    return send(command, options, callback);
  };
  client.send = routed as MedicalImagingClient['send'];
  return client;
}

function isOnlyAbortSignal(options: unknown): options is { abortSignal: AbortSignal } {
  if (typeof options !== 'object' || options === null) return false;
  const keys = Object.keys(options);
  return (
    keys.length === 1 &&
    keys[0] === 'abortSignal' &&
    (options as { abortSignal?: unknown }).abortSignal instanceof AbortSignal
  );
}

/** Node's HTTP handler, taking the abort signal of the send in progress when the SDK passes none. */
class CallSignalHttpHandler extends NodeHttpHandler {
  override handle(...[request, options]: Parameters<NodeHttpHandler['handle']>): ReturnType<NodeHttpHandler['handle']> {
    const abortSignal = options?.abortSignal ?? currentCallSignal();
    return super.handle(request, abortSignal ? { ...options, abortSignal } : options);
  }
}

/** The credential source a tenant's configuration names. */
export function credentialsFor(upstream: TenantUpstreamConfig): AwsCredentialIdentity | AwsCredentialIdentityProvider {
  const source = upstream.credentials;
  switch (source.type) {
    case 'default':
      return fromNodeProviderChain();
    case 'static': {
      const resolved = upstream.resolvedStaticCredentials;
      if (!resolved) {
        // The tenants-file loader resolves the named variables; reaching here is a wiring bug.
        throw new Error('Static credentials were configured but not resolved from the environment.');
      }
      return {
        accessKeyId: resolved.accessKeyId,
        secretAccessKey: resolved.secretAccessKey,
        ...(resolved.sessionToken !== undefined ? { sessionToken: resolved.sessionToken } : {}),
      };
    }
    case 'assumeRole':
      return fromTemporaryCredentials({
        params: {
          RoleArn: source.roleArn,
          RoleSessionName: source.sessionName ?? DEFAULT_ROLE_SESSION_NAME,
          ...(source.externalId !== undefined ? { ExternalId: source.externalId } : {}),
        },
        masterCredentials: fromNodeProviderChain(),
        clientConfig: { region: upstream.region },
      });
    default: {
      const unknownSource: never = source;
      throw new Error(`Unknown credentials type ${(unknownSource as { type: string }).type}.`);
    }
  }
}
