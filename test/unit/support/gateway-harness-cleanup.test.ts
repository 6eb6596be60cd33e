import { startGatewayHarness } from '../../support/gateway-harness';

/**
 * Listening servers of this process: HealthImaging Local and the gateway each hold one. A closed
 * server's handle is released on a later turn of the event loop, so the count is read after one.
 */
async function listeningServers(): Promise<number> {
  await new Promise((resolve) => setImmediate(resolve));
  return process.getActiveResourcesInfo().filter((resource) => resource === 'TCPServerWrap').length;
}

describe('gateway harness', () => {
  it('stops HealthImaging Local again when the gateway cannot start', async () => {
    const failedStart = () => startGatewayHarness({ env: { REQUEST_DEADLINE_MS: 'soon' } });
    // The first start also opens what the process keeps for good (module-level servers): not a leak.
    await expect(failedStart()).rejects.toThrow(/REQUEST_DEADLINE_MS/);
    const before = await listeningServers();
    await expect(failedStart()).rejects.toThrow(/REQUEST_DEADLINE_MS/);
    await expect(failedStart()).rejects.toThrow(/REQUEST_DEADLINE_MS/);
    expect(await listeningServers()).toBe(before);
  });

  it('releases everything it started on close', async () => {
    const before = await listeningServers();
    const harness = await startGatewayHarness();
    expect(await listeningServers()).toBe(before + 2);
    await harness.close();
    expect(await listeningServers()).toBe(before);
  });
});
