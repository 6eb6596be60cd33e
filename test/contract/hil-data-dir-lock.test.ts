import { ListDatastoresCommand } from '@aws-sdk/client-medical-imaging';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startHealthImagingLocal } from '../../healthimaging-local';
import { hilSdkClient } from '../support/hil-client';
import { spawnHilProcess, type HilProcess } from '../support/hil-process';
import { createActiveDatastore } from '../support/hil-wait';

/**
 * One owner per data folder: two real CLI processes on one `--data-dir`, and a holder killed
 * with SIGKILL, whose OS lock the kernel drops so the next server takes the folder over.
 */
describe('HealthImaging Local data folder lock', () => {
  let dataDir: string;
  const running: HilProcess[] = [];
  const start = async (): Promise<HilProcess> => {
    const p = await spawnHilProcess(['--port', '0', '--data-dir', dataDir]);
    running.push(p);
    return p;
  };

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'hil-lock-'));
  });
  afterEach(async () => {
    for (const p of running.splice(0)) await p.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('refuses a second server on the same folder, naming the folder and the holder pid', async () => {
    const first = await start();
    const client = hilSdkClient(first.url);
    try {
      const datastoreId = await createActiveDatastore(client);
      const refusal = start().then(
        () => 'started',
        (err: Error) => err.message,
      );
      const message = await refusal;
      expect(message).toContain(
        `data folder ${dataDir} is in use by another HealthImaging Local (pid ${first.child.pid})`,
      );
      // The refusal is one line, and the first server kept serving what it holds.
      expect(message.split('healthimaging-local: ')[1]?.trim().split('\n')).toHaveLength(1);
      const listed = await client.send(new ListDatastoresCommand({}));
      expect(listed.datastoreSummaries?.map((d) => d.datastoreId)).toContain(datastoreId);
    } finally {
      client.destroy();
    }
  });

  it('takes over the folder of a server killed with SIGKILL, and holds it against an in-process start', async () => {
    const first = await start();
    const c1 = hilSdkClient(first.url);
    const datastoreId = await createActiveDatastore(c1);
    c1.destroy();
    expect(await first.kill('SIGKILL')).toBeNull();

    const second = await start();
    const c2 = hilSdkClient(second.url);
    try {
      const listed = await c2.send(new ListDatastoresCommand({}));
      expect(listed.datastoreSummaries?.map((d) => d.datastoreId)).toContain(datastoreId);
      await expect(startHealthImagingLocal({ dataDir, port: 0 })).rejects.toThrow(`(pid ${second.child.pid})`);
    } finally {
      c2.destroy();
    }
  });

  it('frees the folder on a clean close, for the next server in the same process', async () => {
    const a = await startHealthImagingLocal({ dataDir, port: 0 });
    await expect(startHealthImagingLocal({ dataDir, port: 0 })).rejects.toThrow(
      'is in use by another HealthImaging Local',
    );
    await a.close();
    const b = await startHealthImagingLocal({ dataDir, port: 0 });
    await b.close();
  });
});
