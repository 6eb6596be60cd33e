import { Arg, Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GatewayContext } from '../context';
import type { Connection } from '../types/connection';
import { DicomInstanceConnection } from '../types/dicom-instance-connection.type';
import { DicomInstance } from '../types/dicom-instance.type';
import { DicomSeries } from '../types/dicom-series.type';
import { connectionComplexity, ForwardPaginationArgs } from '../types/pagination.args';
import { listDicomInstances } from './paging/dicom-instances';
import { requestScope } from './request/request-scope';

@Resolver(() => DicomSeries)
export class DicomSeriesResolver {
  @FieldResolver(() => DicomInstanceConnection, {
    complexity: connectionComplexity,
    description: 'The SOP instances of the series, by Instance Number then SOP Instance UID. Pages forward only.',
  })
  instances(
    @Root() series: DicomSeries,
    @Args(() => ForwardPaginationArgs) args: ForwardPaginationArgs,
    @Ctx() context: GatewayContext,
  ): Connection<DicomInstance> {
    return listDicomInstances(requestScope(context), series, args);
  }

  @FieldResolver(() => DicomInstance, {
    nullable: true,
    description: 'One SOP instance of the series; null when absent.',
  })
  instance(
    @Root() series: DicomSeries,
    @Arg('sopInstanceUid', () => String, { description: 'SOP Instance UID (0008,0018).' }) sopInstanceUid: string,
  ): DicomInstance | null {
    const entry = Object.prototype.hasOwnProperty.call(series.entry.Instances ?? {}, sopInstanceUid)
      ? series.entry.Instances[sopInstanceUid]
      : undefined;
    return entry ? new DicomInstance(series.key, sopInstanceUid, entry, series.phi) : null;
  }
}
