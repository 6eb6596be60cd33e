import * as fs from 'node:fs';
import * as path from 'node:path';
import { readDicomInstance } from '../../../healthimaging-local/dicom/read-instance';
import { describeIfSamples, SAMPLES_DIR, sampleFiles } from './sample-files';
import { present } from '../../support/present';

describeIfSamples('readDicomInstance on the real samples', () => {
  it.each(sampleFiles().map((file) => [path.relative(SAMPLES_DIR, file), file]))(
    'reads %s into levels, VRs and checksummable frames',
    (_name, file) => {
      const parsed = readDicomInstance(fs.readFileSync(file));
      expect(parsed.patient.PatientID).toEqual(expect.any(String));
      expect(parsed.study.StudyInstanceUID).toBe(parsed.studyInstanceUid);
      expect(parsed.series.SeriesInstanceUID).toBe(parsed.seriesInstanceUid);
      expect(parsed.instance.SOPInstanceUID).toBe(parsed.sopInstanceUid);
      expect(parsed.instance.PixelData).toBeNull();
      expect(parsed.frames).toHaveLength(1);
      const rows = parsed.instance.Rows as number;
      const columns = parsed.instance.Columns as number;
      const frame = present(parsed.frames[0], 'a frame');
      expect(frame).toMatchObject({ width: columns, height: rows });
      expect(frame.bytes.length).toBe(rows * columns * 2);
      expect(frame.minPixelValue).toBeLessThanOrEqual(frame.maxPixelValue!);
      for (const [key, vr] of Object.entries(parsed.vrs)) {
        expect(key).toMatch(/^[0-9A-F]{8}$/);
        expect(vr).toMatch(/^[A-Z]{2}$/);
      }
    },
  );

  it('keeps the GE private blocks of CT_small.dcm with their VRs', () => {
    const parsed = readDicomInstance(fs.readFileSync(path.join(SAMPLES_DIR, 'CT_small.dcm')));
    expect(parsed.instance['00090010']).toBe('GEMS_IDEN_01');
    expect(parsed.vrs['00091027']).toBe('SL');
    expect(typeof parsed.instance['00091027']).toBe('number');
    expect(parsed.patient.OtherPatientIDsSequence).toEqual([
      expect.objectContaining({ PatientID: expect.any(String) }),
      expect.objectContaining({ PatientID: expect.any(String) }),
    ]);
  });
});
