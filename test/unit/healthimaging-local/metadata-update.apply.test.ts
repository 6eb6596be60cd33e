import type { MetadataDocument } from '../../../healthimaging-local/shapes/metadata-document';
import {
  applyDicomUpdates,
  parseDicomUpdates,
  type ParsedUpdate,
} from '../../../healthimaging-local/model/metadata-update';
import {
  CT_SERIES_UID,
  CT_SOP_1,
  CT_SOP_2,
  MESSAGE_PATTERN,
  MR_SERIES_UID,
  OTHER_UID,
  PATIENT_NAME,
  PRIVATE_TAG,
  PRIVATE_VALUE,
  STUDY_UID,
  blob,
  ctSeriesDoc,
  twoSeriesDoc,
} from './fixtures/metadata-documents';
import { instanceIn, seriesIn } from './fixtures/document-paths';

const nonPrimary = { force: false, isPrimary: false };
const nonPrimaryForced = { force: true, isPrimary: false };
const primary = { force: false, isPrimary: true };
const primaryForced = { force: true, isPrimary: true };

/** Goes through the parser first, as the handler does, so every payload here is well-formed. */
function parsed(update: { updatable?: unknown; removable?: unknown }): ParsedUpdate {
  return parseDicomUpdates({
    updatableAttributes: update.updatable === undefined ? undefined : blob(update.updatable),
    removableAttributes: update.removable === undefined ? undefined : blob(update.removable),
  });
}

function applied(
  doc: MetadataDocument,
  update: { updatable?: unknown; removable?: unknown },
  opts = nonPrimary,
): MetadataDocument {
  const result = applyDicomUpdates(doc, parsed(update), opts);
  if (!result.ok) throw new Error(`expected success, got: ${result.message}`);
  return result.doc;
}

function failure(
  doc: MetadataDocument,
  update: { updatable?: unknown; removable?: unknown },
  opts = nonPrimary,
): string {
  const result = applyDicomUpdates(doc, parsed(update), opts);
  if (result.ok) throw new Error('expected the update to fail');
  expect(result.message).toMatch(/^INVALID_REQUEST: /);
  expect(result.message).toMatch(MESSAGE_PATTERN);
  return result.message;
}

const study = (dicom: Record<string, unknown>) => ({ SchemaVersion: 1.1, Study: { DICOM: dicom } });
const patientLevel = (dicom: Record<string, unknown>) => ({ SchemaVersion: 1.1, Patient: { DICOM: dicom } });
const seriesLevel = (dicom: Record<string, unknown>, seriesUid = CT_SERIES_UID) => ({
  Study: { Series: { [seriesUid]: { DICOM: dicom } } },
});
const instanceLevel = (
  dicom: Record<string, unknown>,
  vrs?: Record<string, string>,
  sopUid = CT_SOP_1,
  seriesUid = CT_SERIES_UID,
) => ({
  Study: {
    Series: { [seriesUid]: { Instances: { [sopUid]: vrs ? { DICOM: dicom, DICOMVRs: vrs } : { DICOM: dicom } } } },
  },
});
const ctInstance = (doc: MetadataDocument, sopUid = CT_SOP_1) => instanceIn(doc, CT_SERIES_UID, sopUid);

describe('applyDicomUpdates', () => {
  describe('inserting and replacing attributes', () => {
    it('replaces a Study attribute and inserts a new one, leaving the input document untouched', () => {
      const before = structuredClone(ctSeriesDoc);
      const doc = applied(ctSeriesDoc, {
        updatable: study({ StudyDescription: 'CT HEAD', ReferringPhysicianName: 'SMITH^J' }),
      });
      expect(doc.Study.DICOM.StudyDescription).toBe('CT HEAD');
      expect(doc.Study.DICOM.ReferringPhysicianName).toBe('SMITH^J');
      expect(doc).not.toBe(ctSeriesDoc);
      expect(ctSeriesDoc).toEqual(before);
    });

    it('updates Patient, Series and Instance attributes of a non-primary image set', () => {
      const withPatient = applied(ctSeriesDoc, {
        updatable: patientLevel({ PatientName: 'ANON', PatientBirthDate: null }),
      });
      expect(withPatient.Patient.DICOM).toMatchObject({ PatientName: 'ANON', PatientBirthDate: null });
      const withSeries = applied(ctSeriesDoc, { updatable: seriesLevel({ SeriesDescription: 'AXIAL 5MM' }) });
      expect(seriesIn(withSeries, CT_SERIES_UID).DICOM.SeriesDescription).toBe('AXIAL 5MM');
      const withInstance = applied(ctSeriesDoc, {
        updatable: instanceLevel({ ImageComments: 'reviewed', SliceThickness: '5' }),
      });
      expect(ctInstance(withInstance).DICOM).toMatchObject({ ImageComments: 'reviewed', SliceThickness: '5' });
      expect(ctInstance(withInstance, CT_SOP_2).DICOM.ImageComments).toBe('scout ');
    });

    it('keeps service-generated instance fields as they were', () => {
      const doc = applied(ctSeriesDoc, { updatable: instanceLevel({ ImageComments: 'x' }) });
      const { DICOM: _after, ...generatedAfter } = ctInstance(doc);
      const { DICOM: _before, ...generatedBefore } = ctInstance(ctSeriesDoc);
      expect(generatedAfter).toEqual(generatedBefore);
      expect(doc.DatastoreID).toBe(ctSeriesDoc.DatastoreID);
      expect(doc.ImageSetID).toBe(ctSeriesDoc.ImageSetID);
      expect(doc.SchemaVersion).toBe('1.1');
    });

    it('fails when the named Series or Instance is not in the image set', () => {
      expect(failure(ctSeriesDoc, { updatable: seriesLevel({ SeriesDescription: 'x' }, OTHER_UID) })).toMatch(
        /Series named in updatableAttributes is not present/,
      );
      expect(failure(ctSeriesDoc, { updatable: instanceLevel({ ImageComments: 'x' }, undefined, OTHER_UID) })).toMatch(
        /Instance named in updatableAttributes is not present/,
      );
    });
  });

  describe('levels', () => {
    it('fails when a Patient attribute is given at the Study level', () => {
      expect(failure(ctSeriesDoc, { updatable: study({ PatientName: 'X' }) })).toMatch(
        /PatientName is not a Study level attribute/,
      );
    });

    it('fails when a Study attribute is given at the Patient level', () => {
      expect(failure(ctSeriesDoc, { updatable: patientLevel({ StudyDescription: 'X' }) })).toMatch(
        /StudyDescription is not a Patient level attribute/,
      );
    });

    it('fails when an instance attribute is given at the Patient level', () => {
      expect(failure(ctSeriesDoc, { updatable: patientLevel({ Rows: 1 }) })).toMatch(
        /Rows is not a Patient level attribute/,
      );
    });

    it('fails when a Series attribute is given at the Instance level', () => {
      expect(failure(ctSeriesDoc, { updatable: instanceLevel({ Modality: 'MR' }) })).toMatch(
        /Modality is a Series level attribute and cannot be given at the Instance level/,
      );
    });

    it('accepts an attribute where the stored document already holds it', () => {
      const doc = applied(ctSeriesDoc, { updatable: study({ InstitutionName: 'CLINIC' }) });
      expect(doc.Study.DICOM.InstitutionName).toBe('CLINIC');
    });
  });

  describe('primary image sets', () => {
    it('refuses Patient level changes', () => {
      expect(failure(ctSeriesDoc, { updatable: patientLevel({ PatientName: 'ANON' }) }, primary)).toMatch(
        /Patient level attributes of a primary image set cannot be updated/,
      );
      expect(failure(ctSeriesDoc, { updatable: patientLevel({ PatientName: 'ANON' }) }, primaryForced)).toMatch(
        /primary image set/,
      );
      expect(failure(ctSeriesDoc, { removable: patientLevel({ PatientSex: 'F' }) }, primary)).toMatch(
        /cannot be removed/,
      );
    });

    it('refuses Series level changes', () => {
      expect(failure(ctSeriesDoc, { updatable: seriesLevel({ SeriesDescription: 'x' }) }, primaryForced)).toMatch(
        /Series level attributes of a primary image set/,
      );
    });

    it('allows Study and Instance level changes', () => {
      expect(
        applied(ctSeriesDoc, { updatable: study({ StudyDescription: 'CT HEAD' }) }, primary).Study.DICOM
          .StudyDescription,
      ).toBe('CT HEAD');
      expect(
        ctInstance(applied(ctSeriesDoc, { updatable: instanceLevel({ ImageComments: 'ok' }) }, primary)).DICOM
          .ImageComments,
      ).toBe('ok');
    });

    it('refuses UID changes even with force, but lets force change StudyID', () => {
      expect(failure(ctSeriesDoc, { updatable: study({ StudyInstanceUID: OTHER_UID }) }, primaryForced)).toMatch(
        /StudyInstanceUID of a primary image set cannot be updated, even with force/,
      );
      expect(failure(ctSeriesDoc, { updatable: instanceLevel({ SOPInstanceUID: OTHER_UID }) }, primaryForced)).toMatch(
        /SOPInstanceUID of a primary image set/,
      );
      expect(applied(ctSeriesDoc, { updatable: study({ StudyID: 'S2' }) }, primaryForced).Study.DICOM.StudyID).toBe(
        'S2',
      );
      expect(failure(ctSeriesDoc, { updatable: study({ StudyID: 'S2' }) }, primary)).toMatch(
        /StudyID can only be updated with force/,
      );
    });
  });

  describe('force', () => {
    it('is required for StudyInstanceUID and StudyID', () => {
      expect(failure(ctSeriesDoc, { updatable: study({ StudyInstanceUID: OTHER_UID }) })).toMatch(
        /StudyInstanceUID can only be updated with force/,
      );
      expect(
        applied(ctSeriesDoc, { updatable: study({ StudyInstanceUID: OTHER_UID }) }, nonPrimaryForced).Study.DICOM
          .StudyInstanceUID,
      ).toBe(OTHER_UID);
    });

    it('is required for SeriesInstanceUID, and a forced change re-keys the Series', () => {
      expect(failure(ctSeriesDoc, { updatable: seriesLevel({ SeriesInstanceUID: OTHER_UID }) })).toMatch(
        /SeriesInstanceUID can only be updated with force/,
      );
      const doc = applied(ctSeriesDoc, { updatable: seriesLevel({ SeriesInstanceUID: OTHER_UID }) }, nonPrimaryForced);
      expect(Object.keys(doc.Study.Series)).toEqual([OTHER_UID]);
      expect(seriesIn(doc, OTHER_UID).DICOM.SeriesInstanceUID).toBe(OTHER_UID);
    });

    it('fails a SeriesInstanceUID change that collides with another Series', () => {
      expect(
        failure(twoSeriesDoc, { updatable: seriesLevel({ SeriesInstanceUID: MR_SERIES_UID }) }, nonPrimaryForced),
      ).toMatch(/already used by another Series/);
    });

    it('is required for SOPInstanceUID, and a forced change re-keys the Instance', () => {
      expect(failure(ctSeriesDoc, { updatable: instanceLevel({ SOPInstanceUID: OTHER_UID }) })).toMatch(
        /SOPInstanceUID can only be updated with force/,
      );
      const doc = applied(ctSeriesDoc, { updatable: instanceLevel({ SOPInstanceUID: OTHER_UID }) }, nonPrimaryForced);
      expect(Object.keys(seriesIn(doc, CT_SERIES_UID).Instances).sort()).toEqual([CT_SOP_2, OTHER_UID].sort());
      expect(
        failure(ctSeriesDoc, { updatable: instanceLevel({ SOPInstanceUID: CT_SOP_2 }) }, nonPrimaryForced),
      ).toMatch(/already used by another Instance/);
    });

    it('is required to add, update or remove an instance-level private element', () => {
      const newTag = '00091002';
      expect(failure(ctSeriesDoc, { updatable: instanceLevel({ [newTag]: 'A' }, { [newTag]: 'LO' }) })).toMatch(
        /private element 00091002 can only be updated with force/,
      );
      expect(
        failure(ctSeriesDoc, { updatable: instanceLevel({ [PRIVATE_TAG]: 'B' }, { [PRIVATE_TAG]: 'LO' }) }),
      ).toMatch(/with force/);
      expect(failure(ctSeriesDoc, { removable: instanceLevel({ [PRIVATE_TAG]: PRIVATE_VALUE }) })).toMatch(
        /private element 00091001 can only be removed with force/,
      );

      const added = applied(
        ctSeriesDoc,
        { updatable: instanceLevel({ [newTag]: 'A' }, { [newTag]: 'SH' }) },
        nonPrimaryForced,
      );
      expect(ctInstance(added).DICOM[newTag]).toBe('A');
      expect(ctInstance(added).DICOMVRs).toEqual({ [PRIVATE_TAG]: 'LO', [newTag]: 'SH' });

      const removed = applied(
        ctSeriesDoc,
        { removable: instanceLevel({ [PRIVATE_TAG]: PRIVATE_VALUE }) },
        nonPrimaryForced,
      );
      expect(ctInstance(removed).DICOM).not.toHaveProperty(PRIVATE_TAG);
      expect(ctInstance(removed)).not.toHaveProperty('DICOMVRs');
    });

    it('is required for an element that is neither standard nor private', () => {
      const unknownPublic = '0008FFF0';
      expect(
        failure(ctSeriesDoc, { updatable: instanceLevel({ [unknownPublic]: 'A' }, { [unknownPublic]: 'LO' }) }),
      ).toMatch(/not a standard DICOM element/);
      expect(
        ctInstance(
          applied(
            ctSeriesDoc,
            { updatable: instanceLevel({ [unknownPublic]: 'A' }, { [unknownPublic]: 'LO' }) },
            nonPrimaryForced,
          ),
        ).DICOM[unknownPublic],
      ).toBe('A');
    });

    it('is not required for a repeating-group element, which is standard although hex-keyed', () => {
      const overlayRows = '60000010';
      expect(
        ctInstance(applied(ctSeriesDoc, { updatable: instanceLevel({ [overlayRows]: 512 }, { [overlayRows]: 'US' }) }))
          .DICOM[overlayRows],
      ).toBe(512);
    });

    it('is required for sequence (SQ) attributes', () => {
      const sequence = { ProcedureCodeSequence: [{ CodeValue: 'CTCHEST', CodingSchemeDesignator: 'L' }] };
      expect(failure(ctSeriesDoc, { updatable: study(sequence) })).toMatch(
        /ProcedureCodeSequence is a sequence \(SQ\) attribute/,
      );
      expect(
        applied(ctSeriesDoc, { updatable: study(sequence) }, nonPrimaryForced).Study.DICOM.ProcedureCodeSequence,
      ).toEqual(sequence.ProcedureCodeSequence);
    });

    it('is required for multi-valued attributes, by dictionary VM or by the value given', () => {
      expect(failure(ctSeriesDoc, { updatable: instanceLevel({ ImageType: ['DERIVED', 'SECONDARY'] }) })).toMatch(
        /ImageType is a multi-valued attribute/,
      );
      expect(failure(ctSeriesDoc, { updatable: instanceLevel({ ImageComments: ['a', 'b'] }) })).toMatch(
        /ImageComments is a multi-valued/,
      );
      expect(failure(ctSeriesDoc, { updatable: study({ StudyDescription: 'A\\B' }) })).toMatch(
        /StudyDescription is a multi-valued/,
      );
      expect(
        ctInstance(
          applied(ctSeriesDoc, { updatable: instanceLevel({ ImageType: ['DERIVED', 'SECONDARY'] }) }, nonPrimaryForced),
        ).DICOM.ImageType,
      ).toEqual(['DERIVED', 'SECONDARY']);
    });

    it('is required for values that do not fit the VR', () => {
      expect(failure(ctSeriesDoc, { updatable: study({ StudyDate: '2024-01-15' }) })).toMatch(
        /value given for StudyDate is not valid for its VR DA and can only be written with force/,
      );
      expect(failure(ctSeriesDoc, { updatable: instanceLevel({ Rows: 'sixty-four' }) })).toMatch(
        /Rows is not valid for its VR US/,
      );
      expect(failure(ctSeriesDoc, { updatable: study({ AccessionNumber: 'x'.repeat(17) }) })).toMatch(
        /AccessionNumber is not valid for its VR SH/,
      );
      expect(
        applied(ctSeriesDoc, { updatable: study({ StudyDate: '2024-01-15' }) }, nonPrimaryForced).Study.DICOM.StudyDate,
      ).toBe('2024-01-15');
    });

    it('is not needed for an ordinary attribute', () => {
      expect(
        applied(ctSeriesDoc, { updatable: study({ StudyDate: '20240116', StudyTime: '101500.25' }) }).Study.DICOM,
      ).toMatchObject({ StudyDate: '20240116', StudyTime: '101500.25' });
    });
  });

  describe('removing attributes', () => {
    it('removes an attribute whose key and value match the stored one', () => {
      const doc = applied(ctSeriesDoc, { removable: study({ StudyDescription: 'CT CHEST' }) });
      expect(doc.Study.DICOM).not.toHaveProperty('StudyDescription');
    });

    it('ignores DICOM text padding when comparing the value', () => {
      expect(applied(ctSeriesDoc, { removable: study({ AccessionNumber: 'ACC-1' }) }).Study.DICOM).not.toHaveProperty(
        'AccessionNumber',
      );
      expect(
        ctInstance(applied(ctSeriesDoc, { removable: instanceLevel({ ImageComments: 'scout' }) })).DICOM,
      ).not.toHaveProperty('ImageComments');
    });

    it('fails when the value does not match, without naming the value', () => {
      const message = failure(ctSeriesDoc, { removable: patientLevel({ PatientName: 'SOMEONE^ELSE' }) });
      expect(message).toMatch(/PatientName at the Patient level does not match the stored value/);
      expect(message).not.toContain('SOMEONE');
      expect(message).not.toContain(PATIENT_NAME);
    });

    it('fails when the attribute is not stored', () => {
      expect(failure(ctSeriesDoc, { removable: study({ ReferringPhysicianName: 'X' }) })).toMatch(
        /ReferringPhysicianName is not present at the Study level/,
      );
    });

    it('compares arrays element by element', () => {
      expect(
        ctInstance(applied(ctSeriesDoc, { removable: instanceLevel({ ImageType: ['ORIGINAL', 'PRIMARY', 'AXIAL'] }) }))
          .DICOM,
      ).not.toHaveProperty('ImageType');
      expect(failure(ctSeriesDoc, { removable: instanceLevel({ ImageType: ['ORIGINAL', 'PRIMARY'] }) })).toMatch(
        /does not match/,
      );
    });

    it('removes an instance named with an empty object', () => {
      const doc = applied(ctSeriesDoc, {
        removable: { Study: { Series: { [CT_SERIES_UID]: { Instances: { [CT_SOP_1]: {} } } } } },
      });
      expect(Object.keys(seriesIn(doc, CT_SERIES_UID).Instances)).toEqual([CT_SOP_2]);
    });

    it('removes a series named with an empty object', () => {
      const doc = applied(twoSeriesDoc, { removable: { Study: { Series: { [MR_SERIES_UID]: {} } } } });
      expect(Object.keys(doc.Study.Series)).toEqual([CT_SERIES_UID]);
    });

    it('drops a series whose last instance is removed', () => {
      const doc = applied(twoSeriesDoc, {
        removable: { Study: { Series: { [CT_SERIES_UID]: { Instances: { [CT_SOP_1]: {}, [CT_SOP_2]: {} } } } } },
      });
      expect(Object.keys(doc.Study.Series)).toEqual([MR_SERIES_UID]);
    });

    it('refuses to remove every instance of the image set', () => {
      expect(failure(ctSeriesDoc, { removable: { Study: { Series: { [CT_SERIES_UID]: {} } } } })).toMatch(
        /every SOP Instance/,
      );
    });

    it('allows instance and series removal on primary image sets', () => {
      const doc = applied(twoSeriesDoc, { removable: { Study: { Series: { [MR_SERIES_UID]: {} } } } }, primary);
      expect(Object.keys(doc.Study.Series)).toEqual([CT_SERIES_UID]);
    });

    it('fails when the Series or Instance to remove is not in the image set', () => {
      expect(failure(ctSeriesDoc, { removable: { Study: { Series: { [OTHER_UID]: {} } } } })).toMatch(
        /Series named in removableAttributes is not present/,
      );
      expect(
        failure(ctSeriesDoc, {
          removable: { Study: { Series: { [CT_SERIES_UID]: { Instances: { [OTHER_UID]: {} } } } } },
        }),
      ).toMatch(/Instance named in removableAttributes/);
    });

    it('needs force to remove StudyID, and refuses to remove a primary image set UID', () => {
      expect(failure(ctSeriesDoc, { removable: study({ StudyID: 'S1' }) })).toMatch(
        /StudyID can only be removed with force/,
      );
      expect(failure(ctSeriesDoc, { removable: study({ StudyInstanceUID: STUDY_UID }) }, primaryForced)).toMatch(
        /StudyInstanceUID of a primary image set cannot be removed/,
      );
    });
  });

  describe('removing and updating in one request', () => {
    it('applies the removals first, so an updated attribute survives', () => {
      const doc = applied(ctSeriesDoc, {
        removable: study({ StudyDescription: 'CT CHEST' }),
        updatable: study({ StudyDescription: 'CT ABDOMEN' }),
      });
      expect(doc.Study.DICOM.StudyDescription).toBe('CT ABDOMEN');
    });

    it('fails as a whole when any part fails', () => {
      const result = applyDicomUpdates(
        ctSeriesDoc,
        parsed({ removable: study({ StudyDescription: 'CT CHEST' }), updatable: study({ PatientName: 'X' }) }),
        nonPrimary,
      );
      expect(result.ok).toBe(false);
    });
  });
});
