import { diffMetadata } from '../../../src/imaging/metadata-changes';
import type { MetadataDocument } from '../../../src/imaging/records';
import { present } from '../../support/present';

const seriesA = '1.2.3.1';
const seriesB = '1.2.3.2';
const seriesC = '1.2.3.3';

function ctStudy(overrides: (doc: MetadataDocument) => void = () => undefined): MetadataDocument {
  const doc: MetadataDocument = {
    SchemaVersion: '1.1',
    DatastoreID: 'd'.repeat(32),
    ImageSetID: 'i'.repeat(32),
    Patient: { DICOM: { PatientName: 'DOE^JANE', PatientSex: 'F' } },
    Study: {
      DICOM: { StudyDescription: 'CT CHEST', StudyDate: '20240101' },
      Series: {
        [seriesA]: {
          DICOM: { Modality: 'CT', SeriesNumber: '1' },
          Instances: {
            [`${seriesA}.1`]: {
              DICOM: { InstanceNumber: '1', ImageType: ['ORIGINAL', 'PRIMARY'] },
              ImageFrames: [{ ID: 'f'.repeat(32) }],
            },
            [`${seriesA}.2`]: { DICOM: { InstanceNumber: '2' } },
          },
        },
        [seriesB]: { DICOM: { Modality: 'CT' }, Instances: { [`${seriesB}.1`]: { DICOM: {} } } },
      },
    },
  };
  overrides(doc);
  return doc;
}

/** Series A of a document built by `ctStudy`, and one of its instances, for edits. */
const seriesAOf = (doc: MetadataDocument) => present(doc.Study.Series[seriesA], 'series A');
const instanceOf = (doc: MetadataDocument, sop: string) => present(seriesAOf(doc).Instances[sop], `instance ${sop}`);

describe('diffMetadata', () => {
  it('finds nothing between identical documents', () => {
    expect(diffMetadata(ctStudy(), ctStudy())).toEqual([]);
  });

  it('reports added, removed and changed attributes per level with before and after', () => {
    const after = ctStudy((doc) => {
      doc.Patient.DICOM.PatientName = 'DOE^J';
      delete doc.Patient.DICOM.PatientSex;
      doc.Study.DICOM.AccessionNumber = 'A1';
      seriesAOf(doc).DICOM.SeriesNumber = '2';
      instanceOf(doc, `${seriesA}.1`).DICOM.ImageType = ['DERIVED', 'PRIMARY'];
    });
    expect(diffMetadata(ctStudy(), after)).toEqual([
      { level: 'PATIENT', keyword: 'PatientName', kind: 'CHANGED', before: 'DOE^JANE', after: 'DOE^J' },
      { level: 'PATIENT', keyword: 'PatientSex', kind: 'REMOVED', before: 'F' },
      { level: 'STUDY', keyword: 'AccessionNumber', kind: 'ADDED', after: 'A1' },
      {
        level: 'SERIES',
        seriesInstanceUid: seriesA,
        keyword: 'SeriesNumber',
        kind: 'CHANGED',
        before: '1',
        after: '2',
      },
      {
        level: 'INSTANCE',
        seriesInstanceUid: seriesA,
        sopInstanceUid: `${seriesA}.1`,
        keyword: 'ImageType',
        kind: 'CHANGED',
        before: ['ORIGINAL', 'PRIMARY'],
        after: ['DERIVED', 'PRIMARY'],
      },
    ]);
  });

  it('reports series and instances that appear or disappear as single structural entries', () => {
    const after = ctStudy((doc) => {
      delete doc.Study.Series[seriesB];
      doc.Study.Series[seriesC] = { DICOM: { Modality: 'SR' }, Instances: { [`${seriesC}.1`]: { DICOM: {} } } };
      delete seriesAOf(doc).Instances[`${seriesA}.2`];
      seriesAOf(doc).Instances[`${seriesA}.3`] = { DICOM: { InstanceNumber: '3' } };
    });
    expect(diffMetadata(ctStudy(), after)).toEqual([
      {
        level: 'INSTANCE',
        seriesInstanceUid: seriesA,
        sopInstanceUid: `${seriesA}.2`,
        keyword: '',
        kind: 'INSTANCE_REMOVED',
      },
      {
        level: 'INSTANCE',
        seriesInstanceUid: seriesA,
        sopInstanceUid: `${seriesA}.3`,
        keyword: '',
        kind: 'INSTANCE_ADDED',
      },
      { level: 'SERIES', seriesInstanceUid: seriesB, keyword: '', kind: 'SERIES_REMOVED' },
      { level: 'SERIES', seriesInstanceUid: seriesC, keyword: '', kind: 'SERIES_ADDED' },
    ]);
  });

  it('ignores storage details outside the DICOM maps', () => {
    const after = ctStudy((doc) => {
      instanceOf(doc, `${seriesA}.1`).ImageFrames = [{ ID: 'e'.repeat(32) }];
      instanceOf(doc, `${seriesA}.1`).StoredTransferSyntaxUID = '1.2.840.10008.1.2.4.202';
    });
    expect(diffMetadata(ctStudy(), after)).toEqual([]);
  });

  it('compares sequences deeply and treats null as a value', () => {
    const before = ctStudy((doc) => {
      doc.Study.DICOM.ProcedureCodeSequence = [{ CodeValue: 'A' }];
      doc.Study.DICOM.StudyID = null;
    });
    const after = ctStudy((doc) => {
      doc.Study.DICOM.ProcedureCodeSequence = [{ CodeValue: 'B' }];
      doc.Study.DICOM.StudyID = null;
    });
    expect(diffMetadata(before, after).map((c) => [c.keyword, c.kind])).toEqual([['ProcedureCodeSequence', 'CHANGED']]);
  });
});
