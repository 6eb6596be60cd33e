import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { Kind, type OperationTypeNode } from 'graphql';
import manifest from './generated/persisted-documents.json';

/**
 * The kit's trusted documents: the client preset wrote each document's normalised text under its
 * id (`sha256:` + the SHA-256 of that exact text) to generated/persisted-documents.json. The
 * gateway names a document by the SHA-256 of the text it receives, so the kit always sends the
 * manifest's text, never its own printing of the document (which would hash differently).
 */
const MANIFEST: Readonly<Record<string, string>> = manifest;

/** The ids to list under the partner key's `trustedDocuments` in the gateway's tenants file. */
export const TRUSTED_DOCUMENT_IDS: readonly string[] = Object.keys(MANIFEST);

export interface PersistedDocument {
  /** `sha256:<64 hex digits>`, as the manifest and the tenants file write it. */
  id: string;
  /** The exact text whose SHA-256 is `id`. */
  text: string;
  operationName: string;
  operationType: OperationTypeNode;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any document, whatever its result and variables
type AnyDocument = TypedDocumentNode<any, any>;

const known = new WeakMap<AnyDocument, PersistedDocument>();

/** The text, id and operation of one of the kit's generated documents. */
export function persistedDocumentOf(document: AnyDocument): PersistedDocument {
  const cached = known.get(document);
  if (cached) return cached;
  const id = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  const text = typeof id === 'string' ? MANIFEST[id] : undefined;
  if (typeof id !== 'string' || text === undefined) {
    throw new Error('This document is not in generated/persisted-documents.json: run `npm run codegen`.');
  }
  const operation = document.definitions.find((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  if (operation?.kind !== Kind.OPERATION_DEFINITION || operation.name === undefined) {
    throw new Error(`Document ${id} has no named operation.`);
  }
  const persisted = { id, text, operationName: operation.name.value, operationType: operation.operation };
  known.set(document, persisted);
  return persisted;
}

/** Apollo's persisted-query extension: the gateway checks the text against it and the allow-list. */
export function persistedQueryExtension(document: PersistedDocument): Record<string, unknown> {
  return { persistedQuery: { version: 1, sha256Hash: document.id.replace(/^sha256:/, '') } };
}
