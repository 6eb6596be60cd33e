import { PacingBucket } from '../../../src/imaging/upstream/pacing-bucket';

describe('PacingBucket', () => {
  it('starts full, and earns tokens at its rate up to its burst', () => {
    const bucket = new PacingBucket(0.25, 1, 0);
    expect(bucket.available(0)).toBe(1);
    bucket.take(1, 0);
    expect(bucket.msUntil(1, 0)).toBe(4000);
    expect(bucket.available(2000)).toBeCloseTo(0.5);
    expect(bucket.msUntil(1, 2000)).toBe(2000);
    expect(bucket.available(60_000)).toBe(1);
  });

  it('lets a burst go at once, then paces', () => {
    const bucket = new PacingBucket(25, 50, 0);
    bucket.take(50, 0);
    expect(bucket.msUntil(1, 0)).toBe(40);
    expect(bucket.available(1000)).toBeCloseTo(25);
  });

  it('takes a refund back up to its burst, never beyond', () => {
    const bucket = new PacingBucket(1, 2, 0);
    bucket.take(2, 0);
    bucket.take(-1, 0);
    expect(bucket.available(0)).toBe(1);
    bucket.take(-5, 0);
    expect(bucket.available(0)).toBe(2);
  });

  it('paces at a lowered rate after being emptied, and keeps earned tokens within a new burst', () => {
    const bucket = new PacingBucket(4, 4, 0);
    bucket.setRate(2, 2, 0);
    expect(bucket.available(0)).toBe(2);
    bucket.empty(0);
    expect(bucket.msUntil(1, 0)).toBe(500);
    expect(bucket.perSecond).toBe(2);
  });
});
