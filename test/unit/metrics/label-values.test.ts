import { codeLabel, keyLabel, NONE_LABEL, OperationLabels, OTHER_LABEL } from '../../../src/metrics/label-values';

describe('OperationLabels', () => {
  it('keeps identifier-shaped names and turns anything else into (other)', () => {
    const labels = new OperationLabels();
    expect(labels.of('ListStudies_2')).toBe('ListStudies_2');
    for (const text of ['Doe^Jane', 'Jane Doe', '1970-01-01', 'a'.repeat(65), 'name"}', 'n\nx'])
      expect(labels.of(text)).toBe(OTHER_LABEL);
    expect([labels.of(undefined), labels.of(null), labels.of('')]).toEqual([NONE_LABEL, NONE_LABEL, NONE_LABEL]);
  });

  it('keeps the first names up to its cap, then answers (other) for new ones only', () => {
    const labels = new OperationLabels(3);
    expect(['A', 'B', 'C', 'D', 'A', 'C', 'E'].map((name) => labels.of(name))).toEqual([
      'A',
      'B',
      'C',
      OTHER_LABEL,
      'A',
      'C',
      OTHER_LABEL,
    ]);
  });
});

describe('codeLabel and keyLabel', () => {
  it('pass the gateway vocabulary and refuse anything else', () => {
    expect([codeLabel('THROTTLED'), codeLabel('bad code'), codeLabel(42)]).toEqual([
      'THROTTLED',
      OTHER_LABEL,
      OTHER_LABEL,
    ]);
    expect([keyLabel('GetImageSet'), keyLabel('not-found'), keyLabel('a b'), keyLabel(undefined)]).toEqual([
      'GetImageSet',
      'not-found',
      OTHER_LABEL,
      OTHER_LABEL,
    ]);
  });
});
