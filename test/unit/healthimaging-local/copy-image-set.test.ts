import { ServiceError } from '../../../healthimaging-local/shapes/errors';
import {
  countFrames,
  mergeIntoDestination,
  parseCopiableAttributes,
  selectForCopy,
} from '../../../healthimaging-local/model/copy-image-set';
import type { MetadataDocument } from '../../../healthimaging-local/shapes/metadata-document';
import {
  CT_SERIES_UID,
  CT_SOP_1,
  CT_SOP_2,
  CT_SOP_3,
  MESSAGE_PATTERN,
  MR_SERIES_UID,
  MR_SOP_1,
  OTHER_UID,
  PATIENT_ID,
  ctSeriesDoc,
  ctSeriesWithThirdInstanceDoc,
  mrSeriesDoc,
  twoSeriesDoc,
  variantOf,
} from './fixtures/metadata-documents';
import { instanceIn, seriesIn } from './fixtures/document-paths';
import { validationMessage } from './fixtures/validation';

/** The subset example of the CLI documentation, with our UIDs. */
const cliSubsetJson = JSON.stringify({
  SchemaVersion: 1.1,
  Study: { Series: { [CT_SERIES_UID]: { Instances: { [CT_SOP_1]: {} } } } },
});

function merged(result: ReturnType<typeof mergeIntoDestination>): MetadataDocument {
  if (!result.ok) throw new Error(`expected success, got: ${result.message}`);
  return result.doc;
}

function failed(result: ReturnType<typeof mergeIntoDestination>): string {
  if (result.ok) throw new Error('expected the copy to fail');
  expect(result.message).toMatch(MESSAGE_PATTERN);
  return result.message;
}

describe('parseCopiableAttributes', () => {
  it('reads the SOP instances of the CLI subset example', () => {
    expect(parseCopiableAttributes(cliSubsetJson)).toEqual({ series: { [CT_SERIES_UID]: { instances: [CT_SOP_1] } } });
  });

  it('selects a whole series when its entry lists no Instances', () => {
    const json = JSON.stringify({ SchemaVersion: '1.1', Study: { Series: { [CT_SERIES_UID]: {} } } });
    expect(parseCopiableAttributes(json)).toEqual({ series: { [CT_SERIES_UID]: {} } });
  });

  it('rejects anything but a JSON string', () => {
    expect(validationMessage(() => parseCopiableAttributes({ Study: {} }))).toMatch(/must be a JSON string/);
    expect(validationMessage(() => parseCopiableAttributes(undefined))).toMatch(/must be a JSON string/);
  });

  it('rejects an empty string and one over 260000 characters', () => {
    expect(validationMessage(() => parseCopiableAttributes(''))).toMatch(/between 1 and 260000/);
    expect(validationMessage(() => parseCopiableAttributes(' '.repeat(260001)))).toMatch(/between 1 and 260000/);
  });

  it('rejects text that is not JSON', () => {
    expect(validationMessage(() => parseCopiableAttributes('{"Study":'))).toMatch(/not a JSON document/);
  });

  it('rejects a bad shape', () => {
    const cases: unknown[] = [
      [],
      {},
      { Study: {} },
      { Study: { Series: {} } },
      { Study: { Series: [] } },
      { Patient: {}, Study: { Series: { [CT_SERIES_UID]: {} } } },
      { Study: { DICOM: {}, Series: { [CT_SERIES_UID]: {} } } },
      { Study: { Series: { [CT_SERIES_UID]: { DICOM: {} } } } },
      { Study: { Series: { [CT_SERIES_UID]: { Instances: {} } } } },
      { Study: { Series: { [CT_SERIES_UID]: { Instances: { [CT_SOP_1]: { DICOM: {} } } } } } },
      { Study: { Series: { [CT_SERIES_UID]: { Instances: { [CT_SOP_1]: true } } } } },
      { Study: { Series: { imageSetId: { Instances: { [CT_SOP_1]: {} } } } } },
      { Study: { Series: { [CT_SERIES_UID]: { Instances: { 'sop-1': {} } } } } },
      { SchemaVersion: 2, Study: { Series: { [CT_SERIES_UID]: {} } } },
    ];
    for (const shape of cases) expect(() => parseCopiableAttributes(JSON.stringify(shape))).toThrow(ServiceError);
  });
});

describe('selectForCopy', () => {
  it('copies the whole document when there is no selection, without sharing structure', () => {
    const copy = selectForCopy(ctSeriesDoc);
    expect(copy).toEqual(ctSeriesDoc);
    expect(copy).not.toBe(ctSeriesDoc);
    expect(Object.isFrozen(copy.Study.Series)).toBe(false);
  });

  it('keeps only the selected instances, with the Patient, Study and Series metadata', () => {
    const subset = selectForCopy(ctSeriesDoc, parseCopiableAttributes(cliSubsetJson));
    expect(Object.keys(subset.Study.Series)).toEqual([CT_SERIES_UID]);
    expect(Object.keys(seriesIn(subset, CT_SERIES_UID).Instances)).toEqual([CT_SOP_1]);
    expect(seriesIn(subset, CT_SERIES_UID).DICOM).toEqual(seriesIn(ctSeriesDoc, CT_SERIES_UID).DICOM);
    expect(subset.Patient).toEqual(ctSeriesDoc.Patient);
    expect(subset.Study.DICOM).toEqual(ctSeriesDoc.Study.DICOM);
  });

  it('keeps only the selected series', () => {
    const subset = selectForCopy(twoSeriesDoc, { series: { [MR_SERIES_UID]: {} } });
    expect(Object.keys(subset.Study.Series)).toEqual([MR_SERIES_UID]);
    expect(Object.keys(seriesIn(subset, MR_SERIES_UID).Instances)).toEqual([MR_SOP_1]);
  });

  it('rejects a selected series or instance the source does not hold', () => {
    expect(validationMessage(() => selectForCopy(ctSeriesDoc, { series: { [OTHER_UID]: {} } }))).toMatch(
      /Series that is not in the source/,
    );
    expect(
      validationMessage(() => selectForCopy(ctSeriesDoc, { series: { [CT_SERIES_UID]: { instances: [OTHER_UID] } } })),
    ).toMatch(/SOP Instance that is not in the source/);
  });
});

describe('mergeIntoDestination', () => {
  it('makes the subset the new document when there is no destination', () => {
    const subset = selectForCopy(ctSeriesDoc, parseCopiableAttributes(cliSubsetJson));
    const doc = merged(mergeIntoDestination(subset, undefined, { force: false }));
    expect(doc).toEqual(subset);
    expect(doc).not.toBe(subset);
  });

  it('adds the copied instances to a destination holding the same series', () => {
    const doc = merged(
      mergeIntoDestination(selectForCopy(ctSeriesWithThirdInstanceDoc), ctSeriesDoc, { force: false }),
    );
    expect(Object.keys(seriesIn(doc, CT_SERIES_UID).Instances).sort()).toEqual([CT_SOP_1, CT_SOP_2, CT_SOP_3].sort());
    expect(doc.ImageSetID).toBe(ctSeriesDoc.ImageSetID);
    expect(instanceIn(doc, CT_SERIES_UID, CT_SOP_3)).toEqual(
      instanceIn(ctSeriesWithThirdInstanceDoc, CT_SERIES_UID, CT_SOP_3),
    );
  });

  it('fails when the Patient grouping key differs', () => {
    const otherPatient = variantOf(ctSeriesWithThirdInstanceDoc, (d) => void (d.Patient.DICOM.PatientID = 'PID-9'));
    const message = failed(mergeIntoDestination(otherPatient, ctSeriesDoc, { force: false }));
    expect(message).toBe("INVALID_REQUEST: Patient of SourceImageSet and DestinationImageSet don't match.");
    expect(message).not.toContain(PATIENT_ID);
  });

  it('fails when a Study grouping key is set on one side only', () => {
    const noAccession = variantOf(ctSeriesWithThirdInstanceDoc, (d) => void (d.Study.DICOM.AccessionNumber = null));
    expect(failed(mergeIntoDestination(noAccession, ctSeriesDoc, { force: false }))).toMatch(
      /Study of SourceImageSet and DestinationImageSet/,
    );
  });

  it('fails when another Study attribute holds different values on both sides', () => {
    const otherDescription = variantOf(
      ctSeriesWithThirdInstanceDoc,
      (d) => void (d.Study.DICOM.StudyDescription = 'CT HEAD'),
    );
    expect(failed(mergeIntoDestination(otherDescription, ctSeriesDoc, { force: false }))).toMatch(
      /^INVALID_REQUEST: Study of/,
    );
  });

  it('ignores text padding and attributes only one side holds, and fills in what the destination lacks', () => {
    const richer = variantOf(ctSeriesWithThirdInstanceDoc, (d) => {
      d.Study.DICOM.StudyDescription = 'CT CHEST  ';
      d.Study.DICOM.ReferringPhysicianName = 'SMITH^J';
      d.Patient.DICOM.PatientBirthDate = null;
    });
    const doc = merged(mergeIntoDestination(richer, ctSeriesDoc, { force: false }));
    expect(doc.Study.DICOM.ReferringPhysicianName).toBe('SMITH^J');
    expect(doc.Study.DICOM.StudyDescription).toBe('CT CHEST');
    expect(doc.Patient.DICOM.PatientBirthDate).toBe('19700101');
  });

  it('fails with the documented message when the series do not match', () => {
    expect(failed(mergeIntoDestination(selectForCopy(mrSeriesDoc), ctSeriesDoc, { force: false }))).toBe(
      "INVALID_REQUEST: Series of SourceImageSet and DestinationImageSet don't match.",
    );
    const renumbered = variantOf(
      ctSeriesWithThirdInstanceDoc,
      (d) => void (seriesIn(d, CT_SERIES_UID).DICOM.SeriesNumber = '3'),
    );
    expect(failed(mergeIntoDestination(renumbered, ctSeriesDoc, { force: false }))).toMatch(/Series of SourceImageSet/);
  });

  it('with force keeps the destination metadata and brings over only the instances', () => {
    const conflicting = variantOf(ctSeriesWithThirdInstanceDoc, (d) => {
      d.Patient.DICOM.PatientID = 'PID-9';
      d.Study.DICOM.StudyDescription = 'CT HEAD';
      seriesIn(d, CT_SERIES_UID).DICOM.SeriesNumber = '3';
    });
    const doc = merged(mergeIntoDestination(conflicting, ctSeriesDoc, { force: true }));
    expect(doc.Patient).toEqual(ctSeriesDoc.Patient);
    expect(doc.Study.DICOM).toEqual(ctSeriesDoc.Study.DICOM);
    expect(seriesIn(doc, CT_SERIES_UID).DICOM).toEqual(seriesIn(ctSeriesDoc, CT_SERIES_UID).DICOM);
    expect(Object.keys(seriesIn(doc, CT_SERIES_UID).Instances)).toHaveLength(3);
  });

  it('with force adds a series the destination lacks, with the source series metadata', () => {
    const doc = merged(mergeIntoDestination(selectForCopy(mrSeriesDoc), ctSeriesDoc, { force: true }));
    expect(Object.keys(doc.Study.Series).sort()).toEqual([CT_SERIES_UID, MR_SERIES_UID].sort());
    expect(doc.Study.Series[MR_SERIES_UID]).toEqual(mrSeriesDoc.Study.Series[MR_SERIES_UID]);
  });

  it('fails when a copied SOP instance already exists in the destination, even with force', () => {
    const subset = selectForCopy(ctSeriesDoc, parseCopiableAttributes(cliSubsetJson));
    for (const force of [false, true]) {
      expect(failed(mergeIntoDestination(subset, ctSeriesDoc, { force }))).toBe(
        'INVALID_REQUEST: SOP Instance of SourceImageSet already exists in DestinationImageSet.',
      );
    }
  });

  it('does not change its inputs', () => {
    const source = selectForCopy(ctSeriesWithThirdInstanceDoc);
    const before = structuredClone(source);
    merged(mergeIntoDestination(source, ctSeriesDoc, { force: false }));
    expect(source).toEqual(before);
    expect(Object.keys(seriesIn(ctSeriesDoc, CT_SERIES_UID).Instances)).toEqual([CT_SOP_1, CT_SOP_2]);
  });
});

describe('countFrames', () => {
  it('counts the image frames of every instance', () => {
    expect(countFrames(ctSeriesDoc)).toBe(2);
    expect(countFrames(ctSeriesWithThirdInstanceDoc)).toBe(2);
    expect(countFrames(twoSeriesDoc)).toBe(5);
  });
});
