import { ForbiddenError } from '../errors/gateway-errors';
import type { Scope } from '../auth/principal';
import { PHI_CATEGORIES, type PhiCategory } from './phi-category';
import { inspect } from './redaction';

/** The image set version a piece of PHI came from (for the audit trail). */
export interface PhiTarget {
  datastoreId: string;
  imageSetId: string;
  versionId?: string;
}

/** What the caller was not shown, for the response's `extensions.phi`. */
export interface PhiWithheld {
  withheld: true;
  categories: PhiCategory[];
  reason: string;
}

export const PHI_SCOPE: Scope = 'phi:read';

const ORDER = new Map<PhiCategory, number>(PHI_CATEGORIES.map((category, index) => [category, index]));
const ordered = (categories: Iterable<PhiCategory>): PhiCategory[] =>
  [...categories].sort((a, b) => ORDER.get(a)! - ORDER.get(b)!);

/**
 * One request's access to PHI: whether the caller holds `phi:read`, and what the response carried
 * (categories read, with their image sets, for the audit trail) or left out (categories withheld,
 * for `extensions.phi`). Values pass through; only categories and ids are ever recorded.
 */
export class PhiAccess {
  private readonly read = new Set<PhiCategory>();
  private readonly withheld = new Set<PhiCategory>();
  private readonly targets = new Map<string, PhiTarget>();

  constructor(readonly granted: boolean) {}

  static forScopes(scopes: readonly Scope[]): PhiAccess {
    return new PhiAccess(scopes.includes(PHI_SCOPE));
  }

  /** A DICOM attribute map as this caller may see it (the map itself with `phi:read`). */
  attributes(attributes: Record<string, unknown>, target?: PhiTarget): Record<string, unknown> {
    const { categories, redacted } = inspect(attributes);
    if (categories.length === 0) return attributes;
    this.note(categories, target);
    return this.granted ? attributes : redacted;
  }

  /** One value of a PHI category as this caller may see it: the value, or undefined when withheld. */
  value<T>(category: PhiCategory | undefined, value: T | undefined, target?: PhiTarget): T | undefined {
    if (category === undefined || value === undefined || value === null) return value;
    this.note([category], target);
    return this.granted ? value : undefined;
  }

  /** Categories left out of (or carried by) a result built elsewhere, e.g. version changes. */
  note(categories: readonly PhiCategory[], target?: PhiTarget): void {
    if (categories.length === 0) return;
    const into = this.granted ? this.read : this.withheld;
    for (const category of categories) into.add(category);
    if (this.granted && target) {
      this.targets.set(`${target.datastoreId}/${target.imageSetId}/${target.versionId ?? ''}`, target);
    }
  }

  /** Refuses an operation that needs `phi:read` (before anything is sent upstream). */
  require(what: string): void {
    if (!this.granted) throw new ForbiddenError(`${what} needs the ${PHI_SCOPE} scope.`);
  }

  /** The categories of PHI this request returned, and their image sets: for its audit entry. */
  readOut(): { categories: readonly string[]; targets: ReadonlyArray<PhiTarget> } {
    return { categories: ordered(this.read), targets: [...this.targets.values()] };
  }

  /** What was withheld, for the response's `extensions.phi`; undefined when nothing was. */
  withheldOut(): PhiWithheld | undefined {
    if (this.withheld.size === 0) return undefined;
    return { withheld: true, categories: ordered(this.withheld), reason: `${PHI_SCOPE} scope required` };
  }
}

/** Without a request's access (never expected past authentication) nothing is shown: fail closed. */
export function phiAccessOr(access: PhiAccess | undefined): PhiAccess {
  return access ?? new PhiAccess(false);
}
