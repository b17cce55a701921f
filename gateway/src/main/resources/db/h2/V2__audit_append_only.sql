-- H2 (one-machine demo and fast tests): no SQL trigger language, so the log is append-only by construction only
-- (AuditEvent is @Immutable and AuditLog has no update or delete path). PostgreSQL adds triggers in this version.
SELECT 1;
