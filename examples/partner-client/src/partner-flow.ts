import { withCompetingWrite } from './competing-write';
import type { Credentials } from './credentials';
import { PartnerStartDocument } from './documents';
import { GatewayClient, type RetryEvent } from './gateway-client';
import type { PartnerStartQuery } from './generated/graphql';
import { imageSetPages, versionPages, type ImageSetSummary, type VersionSummary } from './image-sets';
import { ImageSetWatcher, type ImageSetChange } from './image-set-watcher';
import { updateWithOptimisticConcurrency, type ChangeFunction, type UpdateOutcome } from './optimistic-update';
import { collectPages } from './paging';
import { TIME_POINT_KEYWORD, timePointChange } from './time-point-change';

export interface PartnerFlowOptions {
  /** The gateway's GraphQL endpoint, e.g. http://127.0.0.1:4000/graphql. */
  url: string;
  credentials: Credentials;
  /** The data store to work in; omitted: the first ACTIVE one granted to the credential's tenant. */
  datastoreId?: string;
  /** Image sets per page (default 5, so the demo data spans several pages). */
  pageSize?: number;
  /** Versions per page (default 10). */
  versionsPageSize?: number;
  /** The clinical-trial time point the update writes (default BASELINE). */
  timePoint?: string;
  /** The image set to update; omitted: the least recently updated ACTIVE one. */
  imageSetId?: string;
  /** Replaces the time-point change (tests wrap it to race a concurrent write). */
  change?: ChangeFunction;
  /** Demo: a competing write just before the first attempt's, to show the VERSION_CONFLICT retry. */
  simulateConflict?: boolean;
  log?: (line: string) => void;
}

export interface ImageSetReport {
  summary: ImageSetSummary;
  versions: VersionSummary[];
  versionPageSizes: number[];
}

export interface PartnerFlowReport {
  viewer: NonNullable<PartnerStartQuery['viewer']>;
  datastoreId: string;
  /** Image sets on each page, in order. */
  imageSetPageSizes: number[];
  imageSets: ImageSetReport[];
  /** PHI withheld from this credential (`extensions.phi` of the listing), e.g. free-text descriptions. */
  phiWithheld: string[];
  /** Absent when no image set could be updated (none ACTIVE). */
  update?: {
    imageSetId: string;
    outcome: UpdateOutcome;
    /** The subscription's events after the accepted write; the last is the final state. */
    events: ImageSetChange[];
    final?: ImageSetChange;
  };
  retries: RetryEvent[];
}

/**
 * The kit's main flow, what `npm run partner-client` runs: who am I and where may I read; every
 * image set of the data store, page by page, with selected metadata from the search summary;
 * every version of each, page by page; then one update under optimistic concurrency (the
 * clinical-trial time point of the least recently updated image set's study), followed over the
 * subscription until it has settled.
 */
export async function runPartnerFlow(options: PartnerFlowOptions): Promise<PartnerFlowReport> {
  const log = options.log ?? (() => undefined);
  const retries: RetryEvent[] = [];
  const client = new GatewayClient({
    url: options.url,
    credentials: options.credentials,
    onRetry: (event) => {
      retries.push(event);
      log(`  ${event.operationName}: ${event.reason} (HTTP ${event.status ?? '-'}), retrying in ${event.waitMs} ms`);
    },
  });
  const watcher = new ImageSetWatcher({ url: options.url, credentials: options.credentials });
  try {
    const { data: start } = await client.execute(PartnerStartDocument, {});
    const viewer = start.viewer;
    if (!viewer) throw new Error('The gateway did not say who this credential is.');
    log(`Signed in as ${viewer.subject} (tenant ${viewer.tenantId}; scopes ${viewer.scopes.join(' ')})`);
    const datastore =
      options.datastoreId !== undefined
        ? start.datastores?.find((one) => one.datastoreId === options.datastoreId)
        : start.datastores?.find((one) => one.status === 'ACTIVE');
    if (!datastore)
      throw new Error(
        options.datastoreId ? `Data store ${options.datastoreId} is not granted.` : 'No ACTIVE data store is granted.',
      );
    const datastoreId = datastore.datastoreId;
    log(`Data store ${datastoreId} (${datastore.name ?? 'unnamed'})`);

    const pageSize = options.pageSize ?? 5;
    const phiWithheld = new Set<string>();
    const imageSetPageSizes: number[] = [];
    const summaries: ImageSetSummary[] = [];
    log(`\nImage sets, ${pageSize} per page:`);
    for await (const page of imageSetPages(client, datastoreId, pageSize, (categories) =>
      categories.forEach((category) => phiWithheld.add(category)),
    )) {
      imageSetPageSizes.push(page.length);
      summaries.push(...page);
      log(`  page ${imageSetPageSizes.length}: ${page.length} image set(s)`);
    }
    const imageSets: ImageSetReport[] = [];
    for (const summary of summaries) {
      const { nodes, pageSizes } = await collectPages(
        versionPages(client, datastoreId, summary.imageSetId, options.versionsPageSize ?? 10),
      );
      imageSets.push({ summary, versions: nodes, versionPageSizes: pageSizes });
      log(`  ${describeImageSet(summary, nodes)}`);
    }
    if (phiWithheld.size > 0) log(`  (withheld without phi:read: ${[...phiWithheld].join(', ')})`);

    const timePoint = options.timePoint ?? 'BASELINE';
    // The listing is newest first: its last ACTIVE image set is the one least recently updated.
    const target = options.imageSetId ?? summaries.filter((one) => one.state === 'ACTIVE').at(-1)?.imageSetId;
    const report: PartnerFlowReport = {
      viewer,
      datastoreId,
      imageSetPageSizes,
      imageSets,
      phiWithheld: [...phiWithheld],
      retries,
    };
    if (target === undefined) {
      log('\nNo ACTIVE image set to update.');
      return report;
    }

    log(`\nUpdate image set ${target}: ${TIME_POINT_KEYWORD} -> ${timePoint}`);
    const change = options.change ?? timePointChange(timePoint);
    const outcome = await updateWithOptimisticConcurrency({
      client,
      watcher,
      datastoreId,
      imageSetId: target,
      change: options.simulateConflict ? withCompetingWrite(change, client, datastoreId) : change,
      log: (line) => log(`  ${line}`),
    });
    if (outcome.kind === 'unchanged') {
      log(
        `  (to see a write, pass another --time-point, e.g. ${timePoint === 'BASELINE' ? 'ENROLLMENT' : 'BASELINE'})`,
      );
      report.update = { imageSetId: target, outcome, events: [] };
      return report;
    }
    const untilVersionId = outcome.accepted.imageSet.latestVersionId!;
    log(`  waiting by subscription until version ${untilVersionId} has settled:`);
    const events = await watcher.untilSettled(datastoreId, target, untilVersionId, (event) =>
      log(`    ${event.state}/${event.workflowStatus} version ${event.latestVersionId}`),
    );
    const final = events.at(-1);
    if (final) {
      log(
        final.workflowStatus === 'UPDATE_FAILED'
          ? `  the update failed: ${final.message ?? 'no reason given'}`
          : `  done: ${final.workflowStatus} at version ${final.latestVersionId}`,
      );
    }
    report.update = { imageSetId: target, outcome, events, ...(final ? { final } : {}) };
    return report;
  } finally {
    await watcher.dispose();
  }
}

function describeImageSet(summary: ImageSetSummary, versions: VersionSummary[]): string {
  const tags = summary.dicomTags;
  const series = tags?.numberOfStudyRelatedSeries ?? '?';
  const description = tags?.studyDescription ?? '(description withheld)';
  return [
    summary.imageSetId,
    `${tags?.seriesModality ?? '?'} ${tags?.seriesBodyPart ?? '?'}`,
    `study of ${series} series: ${description}`,
    `${summary.state}/${summary.workflowStatus}`,
    `versions ${versions.map((version) => version.versionId).join(',')}`,
  ].join('  ');
}
