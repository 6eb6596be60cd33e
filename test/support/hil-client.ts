import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MedicalImagingClient, type MedicalImagingClientConfig } from '@aws-sdk/client-medical-imaging';
import {
  DEFAULT_ACCESS_KEY,
  startHealthImagingLocal,
  type HealthImagingLocal,
  type HealthImagingLocalOptions,
} from '../../healthimaging-local';
import { present } from './present';

/**
 * Starts HealthImaging Local for a test (in memory, port 0, instant writes unless told otherwise)
 * and builds real SDK clients for it: endpoint override, `disableHostPrefix`, real SigV4 keys, and
 * `maxAttempts: 1` so injected errors and call counts are not blurred by retries.
 */
export interface TestHil {
  url: string;
  port: number;
  hil: HealthImagingLocal;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** Where `s3://bucket/prefix` lives for this instance. */
  s3Dir: string;
  client(overrides?: Partial<MedicalImagingClientConfig>): MedicalImagingClient;
  close(): Promise<void>;
}

export const TEST_REGION = 'us-east-1';

/** A real SDK client for a HealthImaging Local at `endpoint` (default key pair unless overridden). */
export function hilSdkClient(
  endpoint: string,
  overrides: Partial<MedicalImagingClientConfig> = {},
): MedicalImagingClient {
  return new MedicalImagingClient({
    region: TEST_REGION,
    endpoint,
    disableHostPrefix: true,
    credentials: { accessKeyId: DEFAULT_ACCESS_KEY.accessKeyId, secretAccessKey: DEFAULT_ACCESS_KEY.secretAccessKey },
    maxAttempts: 1,
    ...overrides,
  });
}

export async function startTestHil(opts: HealthImagingLocalOptions = {}): Promise<TestHil> {
  const ownS3 = opts.s3Dir === undefined && (opts.inMemory ?? !opts.dataDir);
  const s3Dir = opts.s3Dir ?? (ownS3 ? mkdtempSync(join(tmpdir(), 'hil-test-s3-')) : undefined);
  const hil = await startHealthImagingLocal({
    inMemory: !opts.dataDir,
    writeDelayMs: 0,
    datastoreDelayMs: 0,
    importDelayMs: 0,
    ...opts,
    s3Dir,
  });
  const key = present((opts.accessKeys ?? [DEFAULT_ACCESS_KEY])[0], 'an access key');
  const credentials = { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey };
  const clients: MedicalImagingClient[] = [];
  return {
    url: hil.url,
    port: hil.port,
    hil,
    credentials,
    s3Dir: hil.admin.s3Dir,
    client(overrides = {}) {
      const client = hilSdkClient(hil.url, { credentials, ...overrides });
      clients.push(client);
      return client;
    },
    async close() {
      for (const c of clients) c.destroy();
      await hil.close();
      if (ownS3 && s3Dir) rmSync(s3Dir, { recursive: true, force: true });
    },
  };
}
