import { Arg, FieldResolver, Resolver, Root } from 'type-graphql';
import { DicomSeries } from '../types/dicom-series.type';
import { DicomStudy } from '../types/dicom-study.type';
import { orderedSeriesUids } from '../types/metadata-document.view';

@Resolver(() => DicomStudy)
export class DicomStudyResolver {
  @FieldResolver(() => [DicomSeries], {
    description:
      'The series of the study held in this image set version, by Series Number (an image set usually holds one).',
  })
  series(
    @Root() study: DicomStudy,
    @Arg('seriesInstanceUid', () => String, {
      nullable: true,
      description: 'Only this series (empty list when absent).',
    })
    seriesInstanceUid: string | null | undefined,
  ): DicomSeries[] {
    const seriesMap = study.document.Study?.Series ?? {};
    const uids = orderedSeriesUids(study.document).filter((uid) => !seriesInstanceUid || uid === seriesInstanceUid);
    return uids.flatMap((uid) => {
      const series = seriesMap[uid];
      return series ? [new DicomSeries(study.key, uid, series, study.phi)] : [];
    });
  }
}
