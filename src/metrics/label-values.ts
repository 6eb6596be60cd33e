/**
 * Label values built from text a client chose. Prometheus keeps one series per distinct value, and
 * a scrape is read by people and systems outside the trust boundary of patient data, so such text
 * becomes a label only when it has the shape of an identifier, and only for the first names seen.
 */

/** A name a client sent that is not identifier-shaped, or came after the cap. */
export const OTHER_LABEL = '(other)';
/** A request that named no operation. */
export const NONE_LABEL = '(none)';

const OPERATION_NAME = /^[A-Za-z0-9_]{1,64}$/;
const CODE = /^[A-Z0-9_]{1,64}$/;
const KEY = /^[A-Za-z0-9_-]{1,64}$/;

/** The default number of distinct operation names kept as labels. */
export const DEFAULT_MAX_OPERATION_LABELS = 200;

/**
 * Operation names as label values. The first `max` distinct identifier-shaped names keep their
 * own series for the life of the process; anything else is `(other)`. An allow-list of names seen
 * first is what keeps a flood of generated names from growing the registry without bound.
 */
export class OperationLabels {
  private readonly known = new Set<string>();

  constructor(private readonly max = DEFAULT_MAX_OPERATION_LABELS) {}

  of(name: string | null | undefined): string {
    if (name === undefined || name === null || name === '') return NONE_LABEL;
    if (!OPERATION_NAME.test(name)) return OTHER_LABEL;
    if (this.known.has(name)) return name;
    if (this.known.size >= this.max) return OTHER_LABEL;
    this.known.add(name);
    return name;
  }
}

/** An error code (`THROTTLED`, `BAD_USER_INPUT`): the gateway's own vocabulary, checked all the same. */
export function codeLabel(code: unknown): string {
  return typeof code === 'string' && CODE.test(code) ? code : OTHER_LABEL;
}

/** A name from the gateway's own closed sets (limits, upstream operations, error kinds). */
export function keyLabel(key: unknown): string {
  return typeof key === 'string' && KEY.test(key) ? key : OTHER_LABEL;
}
