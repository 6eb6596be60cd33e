import { documentSignature, groupingSignature } from '../../../healthimaging-local/dicom/grouping-keys';
import { newDocument, prepareInstance } from '../../../healthimaging-local/dicom/build-document';
import { readDicomInstance } from '../../../healthimaging-local/dicom/read-instance';
import { generateStudy, smallCtStudy } from '../../../scripts/synthetic-studies';
import { present } from '../../support/present';

const levels = (overrides: { patient?: object; study?: object; series?: object } = {}) => ({
  patient: { PatientID: 'P1', PatientName: 'A^B', ...overrides.patient },
  study: { StudyInstanceUID: '1.2', StudyDate: '20240101', AccessionNumber: 'ACC', StudyID: 'S1', ...overrides.study },
  series: { SeriesInstanceUID: '1.2.3', SeriesNumber: '1 ', Modality: 'CT', ...overrides.series },
});

describe('groupingSignature', () => {
  it('is equal for instances whose grouping keys agree, whatever else differs', () => {
    expect(groupingSignature(levels())).toBe(
      groupingSignature(
        levels({ patient: { PatientName: 'C^D' }, study: { StudyDescription: 'X' }, series: { Modality: 'MR' } }),
      ),
    );
  });

  it('ignores DICOM padding and treats empty and absent values alike', () => {
    expect(groupingSignature(levels({ series: { SeriesNumber: '1' } }))).toBe(groupingSignature(levels()));
    expect(groupingSignature(levels({ study: { AccessionNumber: null } }))).toBe(
      groupingSignature(levels({ study: { AccessionNumber: undefined } })),
    );
  });

  it.each([
    ['PatientID', { patient: { PatientID: 'P2' } }],
    ['StudyDate', { study: { StudyDate: '20240102' } }],
    ['AccessionNumber', { study: { AccessionNumber: 'OTHER' } }],
    ['StudyID', { study: { StudyID: 'S2' } }],
    ['SeriesNumber', { series: { SeriesNumber: '2' } }],
  ])('differs when %s differs', (_key, overrides) => {
    expect(groupingSignature(levels(overrides))).not.toBe(groupingSignature(levels()));
  });

  it('matches the signature of a document built from the same instance', () => {
    const parsed = readDicomInstance(present(generateStudy(smallCtStudy)[0], 'a generated file').bytes);
    const prepared = prepareInstance(
      parsed,
      parsed.frames.map((_, i) => `frame${i}`),
    );
    const doc = newDocument('d'.repeat(32), 'i'.repeat(32), [prepared]);
    expect(documentSignature(doc, parsed.seriesInstanceUid)).toBe(groupingSignature(prepared));
  });
});
