import { writeFileSync } from 'node:fs';
import type { BenchFixture } from '../fixture/bench-fixture';
import type { BenchTenant } from '../fixture/bench-tenant';
import { httpRequest } from '../lib/http-client';
import { VariantServer } from '../servers/variant-server';
import { readRequest, type ReadTargets } from '../workloads/read-requests';
import type { RestRouteName } from '../workloads/rest-routes';
import type { ReadWorkloadName } from '../workloads/variants';
import {
  checkReadBack,
  checkUpdateResponse,
  readBackRequest,
  updateRequest,
  type WriteTarget,
} from '../workloads/write-mix';

const READ_ROUTES: Record<ReadWorkloadName, RestRouteName> = {
  'viewer-header': 'viewerHeader',
  'study-browser': 'studyBrowser',
  'metadata-detail': 'metadataDetail',
};

export function readTargetsOf(fixture: BenchFixture): ReadTargets {
  return {
    viewerHeader: { datastoreId: fixture.large.datastoreId, imageSetId: fixture.large.imageSetId },
    studyBrowser: { datastoreId: fixture.reads.datastoreId },
    metadataDetail: { datastoreId: fixture.large.datastoreId, imageSetId: fixture.large.imageSetId },
  };
}

/**
 * Asks the hand-written server for every answer once: the parsed answers become the reference
 * all variants are held to, and the raw bytes become the floor's fixed bodies (same sizes).
 */
export async function calibrate(options: {
  tenant: BenchTenant;
  readTargets: ReadTargets;
  writeTarget: WriteTarget;
  floorBodiesFile: string;
}): Promise<{ references: Record<ReadWorkloadName, unknown>; floorBodies: Record<string, string> }> {
  const { tenant, readTargets } = options;
  const probe = readRequest('viewer-header', 'rest', readTargets, tenant.apiKey);
  const server = await VariantServer.start('hand-written', { tenant, probe });
  try {
    const references = {} as Record<ReadWorkloadName, unknown>;
    const floorBodies: Record<string, string> = {};
    for (const workload of Object.keys(READ_ROUTES) as ReadWorkloadName[]) {
      const answer = await httpRequest(server.baseUrl, readRequest(workload, 'rest', readTargets, tenant.apiKey));
      if (answer.status !== 200)
        throw new Error(
          `The hand-written server answered ${workload} with HTTP ${answer.status}: ${answer.body.slice(0, 300)}`,
        );
      references[workload] = JSON.parse(answer.body);
      floorBodies[READ_ROUTES[workload]] = answer.body;
    }
    const update = await httpRequest(
      server.baseUrl,
      updateRequest('rest', options.writeTarget, 'WRITE MIX CALIBRATION', tenant.apiKey),
    );
    const updated = checkUpdateResponse(update.status, update.body, options.writeTarget);
    if (!updated.ok) throw new Error(`The hand-written update failed its check: ${updated.reason}`);
    const readBack = await httpRequest(server.baseUrl, readBackRequest('rest', options.writeTarget, tenant.apiKey));
    const read = checkReadBack(readBack.status, readBack.body, options.writeTarget.imageSetId, updated.newVersionId);
    if (!read.ok) throw new Error(`The hand-written read-back failed its check: ${read.reason}`);
    floorBodies.studyDescription = update.body;
    floorBodies.status = readBack.body;
    writeFileSync(options.floorBodiesFile, JSON.stringify(floorBodies));
    return { references, floorBodies };
  } finally {
    await server.stop();
  }
}
