import type { ChainHead } from './audit-chain';
import { GENESIS_HASH, recordHash, type AuditRecord } from './audit-record';
import type { AuditProblem, TenantVerification } from './audit-store';

/** What a store gives the verifier about one tenant: its records in sequence order, a hash lookup, its head. */
export interface ChainSource {
  /**
   * The tenant's records by ascending sequence, up to `upTo` when given, read in pages so a long
   * trail never sits in memory at once.
   */
  records(upTo: number | undefined): AsyncIterable<AuditRecord>;
  /** The sequence number of the tenant's record whose stored hash this is, if any. */
  sequenceOfHash(hash: string): Promise<number | undefined>;
  head(): Promise<ChainHead | undefined>;
}

/**
 * Walks a tenant's chain and reports the first problem. Each record must sit at the next
 * sequence number, link to the hash of the record before it, and hash to its stored hash; the
 * head must name the last record. The kind says what most likely happened:
 *
 * - a gap in the sequence numbers, or a head beyond the last record: `removed`;
 * - a record whose link names another record of the tenant: `reordered`;
 * - a record whose content no longer gives its hash, or whose successor's link no longer names
 *   it (it was edited and re-hashed): `changed`;
 * - a head that is missing or disagrees with the last record: `broken-head`.
 */
export async function verifyChain(tenantId: string, source: ChainSource): Promise<TenantVerification> {
  // The head is read first and bounds the walk: records appended while verify runs lie beyond it
  // and are checked next time, instead of reading as a head that lags its chain.
  const head = await source.head();
  const headSequence = head?.lastSequence ?? 0;
  let expected = 1;
  let previousHash = GENESIS_HASH;
  let checked = 0;
  const result = (problem?: AuditProblem): TenantVerification => ({
    tenantId,
    recordsChecked: checked,
    headSequence,
    ...(problem ? { problem } : {}),
  });

  for await (const record of source.records(head?.lastSequence)) {
    if (record.sequence > expected) {
      return result({
        kind: 'removed',
        sequence: expected,
        detail: `record ${expected} is missing (the next record is ${record.sequence})`,
      });
    }
    if (record.prevHash !== previousHash) {
      const linked = await source.sequenceOfHash(record.prevHash);
      if (linked !== undefined) {
        return result({
          kind: 'reordered',
          sequence: record.sequence,
          detail: `record ${record.sequence} follows record ${linked}, not record ${expected - 1}`,
        });
      }
      const before = record.sequence - 1;
      return result({
        kind: 'changed',
        sequence: before,
        detail: `record ${before} is not the record that record ${record.sequence} was chained to`,
      });
    }
    if (recordHash(record) !== record.hash) {
      return result({
        kind: 'changed',
        sequence: record.sequence,
        detail: `record ${record.sequence} does not match its hash`,
      });
    }
    previousHash = record.hash;
    expected += 1;
    checked += 1;
  }

  const last = expected - 1;
  if (!head) {
    return checked === 0
      ? result()
      : result({ kind: 'broken-head', sequence: last, detail: 'the chain has records but no head' });
  }
  if (head.lastSequence > last) {
    return result({
      kind: 'removed',
      sequence: last + 1,
      detail: `records ${last + 1} to ${head.lastSequence} are missing from the end`,
    });
  }
  if (head.lastSequence < last) {
    return result({
      kind: 'broken-head',
      sequence: head.lastSequence,
      detail: `the head names record ${head.lastSequence}, but the chain runs to ${last}`,
    });
  }
  if (head.lastHash !== previousHash) {
    return result({ kind: 'broken-head', sequence: last, detail: `the head's hash is not the hash of record ${last}` });
  }
  return result();
}
