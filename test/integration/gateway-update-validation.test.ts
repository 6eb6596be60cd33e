import { expectData, expectGraphQLError, waitUntilUnlocked } from '../support/gateway-expect';
import { startGatewayHarness, totalCalls, type GatewayHarness } from '../support/gateway-harness';

/**
 * Bad DICOM values are refused by the gateway before HealthImaging sees them: upstream they would
 * fail the new version asynchronously (a permanent UPDATE_FAILED version) and spend the write quota.
 */

const UPDATE = `mutation ($input: UpdateImageSetMetadataInput!) {
  updateImageSetMetadata(input: $input) { version { versionId } }
}`;

const BIRTH_DATE_VALUE = 'not-a-date';
const STUDY_DATE_VALUE = 'Lovelace^Ada';

describe('gateway: update values checked against their VR and VM', () => {
  let h: GatewayHarness;
  let acme: Record<string, string>;
  let ds: string;
  let imageSetId: string;

  beforeAll(async () => {
    h = await startGatewayHarness();
    acme = h.as({ token: h.tokens.acme });
    ds = h.datastores.acme;
    [imageSetId] = await h.importStudy('acme', 'vr');
  });
  afterAll(async () => {
    await h?.close();
  });

  const update = (updates: Record<string, unknown>, force = false) =>
    h.gql(UPDATE, { input: { datastoreId: ds, imageSetId, latestVersionId: '1', updates, force } }, acme);

  it.each([false, true])(
    "refuses the finding's example with BAD_USER_INPUT naming both attributes and rules, without calling HealthImaging (force: %s)",
    async (force) => {
      h.resetUpstreamCalls();
      const res = await update(
        { patient: { PatientBirthDate: BIRTH_DATE_VALUE }, study: { StudyDate: STUDY_DATE_VALUE } },
        force,
      );
      const error = expectGraphQLError(res, 'BAD_USER_INPUT');
      expect(res.data).toEqual({ updateImageSetMetadata: null });
      expect(error.message).toContain('patient.PatientBirthDate: DA must be YYYYMMDD (a valid calendar date)');
      expect(error.message).toContain('study.StudyDate: DA must be YYYYMMDD (a valid calendar date)');
      expect(error.extensions!.invalidValues).toEqual([
        {
          path: 'patient.PatientBirthDate',
          keyword: 'PatientBirthDate',
          rule: 'DA must be YYYYMMDD (a valid calendar date)',
        },
        { path: 'study.StudyDate', keyword: 'StudyDate', rule: 'DA must be YYYYMMDD (a valid calendar date)' },
      ]);
      expect(h.upstreamCalls('acme').UpdateImageSetMetadata ?? 0).toBe(0);
      expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
      const seen = JSON.stringify(res) + JSON.stringify(h.logs);
      for (const value of [BIRTH_DATE_VALUE, 'Lovelace', 'Ada']) expect(seen).not.toContain(value);
    },
  );

  it('refuses a bad value nested in a sequence item, with its full path', async () => {
    h.resetUpstreamCalls();
    const res = await update({
      study: {
        ProcedureCodeSequence: [{ CodeValue: '71250', CodingSchemeDesignator: 'CPT' }, { CodeValue: 'X'.repeat(17) }],
      },
    });
    expect(expectGraphQLError(res, 'BAD_USER_INPUT').extensions!.invalidValues).toEqual([
      {
        path: 'study.ProcedureCodeSequence[1].CodeValue',
        keyword: 'CodeValue',
        rule: 'SH must be at most 16 characters',
      },
    ]);
    expect(totalCalls(h.upstreamCalls('acme'))).toBe(0);
  });

  it('leaves the image set untouched by refused updates, and sends valid values through', async () => {
    const data = expectData(await update({ study: { StudyDate: '20240229', StudyTime: '083000.5' } }));
    expect(data.updateImageSetMetadata.version.versionId).toBe('2');
    expect(h.upstreamCalls('acme').UpdateImageSetMetadata).toBe(1);
    expect(await waitUntilUnlocked(h, acme, ds, imageSetId)).toEqual({
      state: 'ACTIVE',
      workflowStatus: 'UPDATED',
      latestVersionId: '2',
    });
  });
});
