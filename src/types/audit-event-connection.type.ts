import { AuditEvent } from './audit-event.type';
import { createConnectionType } from './connection';

export const { Connection: AuditEventConnection, Edge: AuditEventEdge } = createConnectionType(
  () => AuditEvent,
  'AuditEvent',
  { singular: 'audit event', plural: 'audit events, newest first' },
);
