import { NotFoundError, ThrottledError } from '../../../src/errors/gateway-errors';
import type { ImagingPort } from '../../../src/imaging/imaging-port';
import type { ImageSetRecord } from '../../../src/imaging/records';
import {
  CompletionRule,
  imageSetChangeStream,
  type ImageSetEvent,
} from '../../../src/subscriptions/image-set-change-stream';
import { changeOfUpdate, type ImageSetChange } from '../../../src/subscriptions/image-set-change';
import { ImageSetWatches, type ChangeBus } from '../../../src/subscriptions/image-set-watches';

const ds = 'a'.repeat(32);
const imageSetId = 'b'.repeat(32);

/** GetImageSet from a scripted state; every call is counted. */
class ScriptedPort {
  readonly tenantId: string;
  calls = 0;
  state: Pick<ImageSetRecord, 'state' | 'workflowStatus' | 'versionId' | 'message'> | 'missing' | 'throttled' = {
    state: 'ACTIVE',
    workflowStatus: 'IMPORTED',
    versionId: '1',
  };

  constructor(tenantId = 'acme') {
    this.tenantId = tenantId;
  }

  grantedDatastoreIds(): string[] {
    return [ds];
  }

  async getImageSet(datastoreId: string, id: string): Promise<ImageSetRecord> {
    this.calls += 1;
    await Promise.resolve();
    if (this.state === 'missing') throw new NotFoundError();
    if (this.state === 'throttled') throw new ThrottledError();
    return { datastoreId, imageSetId: id, forced: false, latestVersionId: this.state.versionId, ...this.state };
  }

  asPort(): ImagingPort {
    return this as unknown as ImagingPort;
  }
}

async function take(stream: AsyncIterator<ImageSetEvent>, count: number): Promise<ImageSetEvent[]> {
  const events: ImageSetEvent[] = [];
  for (let index = 0; index < count; index += 1) {
    const next = await stream.next();
    if (next.done) break;
    events.push(next.value);
  }
  return events;
}

function summary(event: ImageSetEvent | undefined): string {
  if (event === undefined) return 'none';
  if (event instanceof Error) return `error:${(event as NotFoundError).extensions.code as string}`;
  return `${event.facts.state}/${event.facts.workflowStatus}/${event.facts.latestVersionId}`;
}

describe('ImageSetWatches and the subscriber stream', () => {
  let watches: ImageSetWatches;
  afterEach(() => watches.close());

  it('gives a second subscriber the last state without another upstream call', async () => {
    watches = new ImageSetWatches({ pollMinMs: 60_000, pollMaxMs: 60_000 });
    const port = new ScriptedPort();
    const first = imageSetChangeStream(watches, port.asPort(), ds, imageSetId, new CompletionRule());
    expect((await take(first, 1)).map(summary)).toEqual(['ACTIVE/IMPORTED/1']);
    const second = imageSetChangeStream(watches, port.asPort(), ds, imageSetId, new CompletionRule());
    expect((await take(second, 1)).map(summary)).toEqual(['ACTIVE/IMPORTED/1']);
    expect(port.calls).toBe(1);
    expect(watches.size).toBe(1);
    await first.return?.();
    expect(watches.size).toBe(1);
    await second.return?.();
    expect(watches.size).toBe(0);
  });

  it('keys watches by tenant: two tenants never share a poll', async () => {
    watches = new ImageSetWatches({ pollMinMs: 60_000, pollMaxMs: 60_000 });
    const acme = new ScriptedPort('acme');
    const globex = new ScriptedPort('globex');
    const a = imageSetChangeStream(watches, acme.asPort(), ds, imageSetId, new CompletionRule());
    const g = imageSetChangeStream(watches, globex.asPort(), ds, imageSetId, new CompletionRule());
    await take(a, 1);
    await take(g, 1);
    expect([acme.calls, globex.calls, watches.size]).toEqual([1, 1, 2]);
    await a.return?.();
    await g.return?.();
  });

  it('delivers a published write at once, then completes when a poll sees it settled', async () => {
    watches = new ImageSetWatches({ pollMinMs: 5, pollMaxMs: 20 });
    const port = new ScriptedPort();
    const stream = imageSetChangeStream(watches, port.asPort(), ds, imageSetId, new CompletionRule());
    expect((await take(stream, 1)).map(summary)).toEqual(['ACTIVE/IMPORTED/1']);
    port.state = { state: 'LOCKED', workflowStatus: 'UPDATING', versionId: '2' };
    watches.publish(
      changeOfUpdate('acme', {
        datastoreId: ds,
        imageSetId,
        latestVersionId: '2',
        state: 'LOCKED',
        workflowStatus: 'UPDATING',
      }),
    );
    expect((await take(stream, 1)).map(summary)).toEqual(['LOCKED/UPDATING/2']);
    port.state = { state: 'ACTIVE', workflowStatus: 'UPDATED', versionId: '2' };
    expect((await take(stream, 2)).map(summary)).toEqual(['ACTIVE/UPDATED/2']);
    expect(watches.size).toBe(0);
  });

  it('ignores a change older than the one it knows', async () => {
    watches = new ImageSetWatches({ pollMinMs: 60_000, pollMaxMs: 60_000 });
    const port = new ScriptedPort();
    port.state = { state: 'LOCKED', workflowStatus: 'UPDATING', versionId: '3' };
    const stream = imageSetChangeStream(watches, port.asPort(), ds, imageSetId, new CompletionRule());
    await take(stream, 1);
    const stale: ImageSetChange = {
      tenantId: 'acme',
      datastoreId: ds,
      imageSetId,
      facts: { state: 'ACTIVE', workflowStatus: 'UPDATED', latestVersionId: '2' },
    };
    watches.publish(stale, 'remote');
    watches.publish({ ...stale, facts: { ...stale.facts, latestVersionId: '3' } }, 'remote');
    expect((await take(stream, 2)).map(summary)).toEqual(['ACTIVE/UPDATED/3']);
  });

  it("ignores a write's answer that arrives after a read of the finished write", async () => {
    watches = new ImageSetWatches({ pollMinMs: 60_000, pollMaxMs: 60_000 });
    const port = new ScriptedPort();
    const stream = imageSetChangeStream(watches, port.asPort(), ds, imageSetId, new CompletionRule());
    await take(stream, 1);
    const at = (iso: string, state: string, workflowStatus: string): ImageSetChange => ({
      tenantId: 'acme',
      datastoreId: ds,
      imageSetId,
      facts: { state, workflowStatus, latestVersionId: '2', updatedAt: new Date(iso) },
    });
    watches.publish(at('2026-11-30T10:00:01Z', 'ACTIVE', 'UPDATED'), 'remote');
    watches.publish(at('2026-11-30T10:00:00Z', 'LOCKED', 'UPDATING'), 'local');
    watches.publish(at('2026-11-30T10:00:02Z', 'LOCKED', 'UPDATING'), 'remote');
    expect((await take(stream, 2)).map(summary)).toEqual(['ACTIVE/UPDATED/2', 'LOCKED/UPDATING/2']);
    await stream.return?.();
  });

  it('completes at once with untilVersionId when that version has settled already', async () => {
    watches = new ImageSetWatches({ pollMinMs: 60_000, pollMaxMs: 60_000 });
    const port = new ScriptedPort();
    port.state = { state: 'ACTIVE', workflowStatus: 'UPDATED', versionId: '4' };
    const stream = imageSetChangeStream(watches, port.asPort(), ds, imageSetId, new CompletionRule('4'));
    expect((await take(stream, 3)).map(summary)).toEqual(['ACTIVE/UPDATED/4']);
  });

  it('ends with NOT_FOUND when the image set was never seen', async () => {
    watches = new ImageSetWatches({ pollMinMs: 60_000, pollMaxMs: 60_000 });
    const port = new ScriptedPort();
    port.state = 'missing';
    const stream = imageSetChangeStream(watches, port.asPort(), ds, imageSetId, new CompletionRule());
    expect((await take(stream, 3)).map(summary)).toEqual(['error:NOT_FOUND']);
  });

  it('reports a deleted image set (NOT_FOUND after it was seen) as DELETED and completes', async () => {
    watches = new ImageSetWatches({ pollMinMs: 5, pollMaxMs: 20 });
    const port = new ScriptedPort();
    port.state = { state: 'LOCKED', workflowStatus: 'DELETING', versionId: '1' };
    const stream = imageSetChangeStream(watches, port.asPort(), ds, imageSetId, new CompletionRule());
    expect((await take(stream, 1)).map(summary)).toEqual(['LOCKED/DELETING/1']);
    port.state = 'missing';
    expect((await take(stream, 3)).map(summary)).toEqual(['DELETED/DELETED/1']);
  });

  it('keeps waiting through throttled polls', async () => {
    watches = new ImageSetWatches({ pollMinMs: 5, pollMaxMs: 10 });
    const port = new ScriptedPort();
    port.state = { state: 'LOCKED', workflowStatus: 'UPDATING', versionId: '2' };
    const stream = imageSetChangeStream(watches, port.asPort(), ds, imageSetId, new CompletionRule());
    await take(stream, 1);
    port.state = 'throttled';
    const callsBefore = port.calls;
    while (port.calls < callsBefore + 2) await new Promise((resolve) => setTimeout(resolve, 5));
    port.state = { state: 'ACTIVE', workflowStatus: 'UPDATED', versionId: '2' };
    expect((await take(stream, 2)).map(summary)).toEqual(['ACTIVE/UPDATED/2']);
  });

  it('shares what it sees and what this replica writes, never what another replica sent', async () => {
    const shared: string[] = [];
    const bus: ChangeBus = { publish: (_origin, change) => shared.push(change.facts.workflowStatus ?? '') };
    watches = new ImageSetWatches({ pollMinMs: 60_000, pollMaxMs: 60_000, bus });
    const port = new ScriptedPort();
    const stream = imageSetChangeStream(watches, port.asPort(), ds, imageSetId, new CompletionRule());
    await take(stream, 1);
    const change = (workflowStatus: string): ImageSetChange => ({
      tenantId: 'acme',
      datastoreId: ds,
      imageSetId,
      facts: { state: 'LOCKED', workflowStatus, latestVersionId: '2' },
    });
    watches.publish(change('UPDATING'), 'local');
    watches.publish(change('COPYING'), 'remote');
    expect(shared).toEqual(['IMPORTED', 'UPDATING']);
    await stream.return?.();
  });
});

describe('changes from other replicas', () => {
  it("reach only the watch of the change's own tenant", async () => {
    const watches = new ImageSetWatches({ pollMinMs: 60_000, pollMaxMs: 60_000 });
    try {
      const port = new ScriptedPort('globex');
      const stream = imageSetChangeStream(watches, port.asPort(), ds, imageSetId, new CompletionRule());
      await take(stream, 1);
      const locked = (tenantId: string): ImageSetChange => ({
        tenantId,
        datastoreId: ds,
        imageSetId,
        facts: { state: 'LOCKED', workflowStatus: 'UPDATING', latestVersionId: '2' },
      });
      watches.publish(locked('acme'), 'remote');
      watches.publish(
        { ...locked('globex'), facts: { ...locked('globex').facts, workflowStatus: 'COPYING' } },
        'remote',
      );
      expect((await take(stream, 1)).map(summary)).toEqual(['LOCKED/COPYING/2']);
      await stream.return?.();
    } finally {
      watches.close();
    }
  });
});
