import { createHash } from 'node:crypto';
import { Arg, Args, Authorized, Ctx, Query, Resolver } from 'type-graphql';
import type { AuditRecord } from '../audit/audit-record';
import type { AuditPage } from '../audit/audit-store';
import type { Scope } from '../auth/principal';
import type { GatewayContext } from '../context';
import { UpstreamUnavailableError } from '../errors/gateway-errors';
import { describeError } from '../logging/logger';
import { AuditEventConnection } from '../types/audit-event-connection.type';
import { toAuditFilter } from '../types/audit-event-filter.mapper';
import { AuditEventFilterInput } from '../types/audit-event-filter.input';
import { AuditEvent } from '../types/audit-event.type';
import type { Connection } from '../types/connection';
import { connectionComplexity, ForwardPaginationArgs } from '../types/pagination.args';
import { toConnection } from './paging/connection-builder';
import { offsetCursorCodec } from './paging/cursors';
import { pageSize } from './paging/page-size';
import { requestScope } from './request/request-scope';

@Resolver(() => AuditEvent)
export class AuditEventsResolver {
  @Authorized<Scope>('audit:read')
  @Query(() => AuditEventConnection, {
    complexity: connectionComplexity,
    description:
      "The caller's tenant's audit trail, newest first: every read of patient data and every write, attempted, refused or done. Needs the `audit:read` scope.",
  })
  async auditEvents(
    @Args(() => ForwardPaginationArgs) { first, after }: ForwardPaginationArgs,
    @Arg('filter', () => AuditEventFilterInput, {
      nullable: true,
      description: 'Only events matching every field given.',
    })
    filterInput: AuditEventFilterInput | null | undefined,
    @Ctx() context: GatewayContext,
  ): Promise<Connection<AuditEvent>> {
    const scope = requestScope(context);
    const store = context.audit;
    if (!store) throw new UpstreamUnavailableError('The audit trail is not available on this gateway.');
    const size = pageSize(first);
    const filter = toAuditFilter(filterInput);
    // A cursor holds the sequence of the last event shown; binding it to the filter keeps it on its list.
    const digest = createHash('sha256').update(JSON.stringify(filter)).digest('base64url');
    const cursors = offsetCursorCodec(scope, `auditEvents:${digest}`);
    const afterSequence = cursors.decode(after);

    let page: AuditPage;
    try {
      page = await store.list(scope.tenantId, {
        first: size,
        ...(afterSequence !== undefined ? { afterSequence } : {}),
        filter,
      });
    } catch (error) {
      context.logger?.error('audit.list_failed', describeError(error));
      throw new UpstreamUnavailableError('The audit trail could not be read; retry later.');
    }
    const last = page.records[page.records.length - 1];
    return toConnection(
      {
        items: page.records.map((record) => ({ item: record, after: record.sequence })),
        hasNextPage: page.hasNextPage,
        ...(last ? { end: last.sequence } : {}),
      },
      cursors.encode,
      (record: AuditRecord) => new AuditEvent(record),
    );
  }
}
