import type { PhiAccess, PhiTarget } from './phi-access';
import { withheldCategoryOf } from './profile-lookup';

/**
 * One DICOM attribute map of a metadata document, seen by one request: `dicom` is the map as the
 * caller may see it (the redacted copy is computed once per map and shared), and `value` reads
 * one attribute for a typed field, withheld when the profile lists it and the caller lacks
 * `phi:read`.
 */
export class PhiView {
  constructor(
    private readonly raw: Record<string, unknown>,
    private readonly phi: PhiAccess,
    private readonly target: PhiTarget,
  ) {}

  get dicom(): Record<string, unknown> {
    return this.phi.attributes(this.raw, this.target);
  }

  value(keyword: string): unknown {
    return this.phi.value(withheldCategoryOf(keyword), this.raw[keyword], this.target);
  }

  /** An attribute the profile leaves visible (structure the gateway itself needs, e.g. Rows). */
  plain(keyword: string): unknown {
    return this.raw[keyword];
  }
}
