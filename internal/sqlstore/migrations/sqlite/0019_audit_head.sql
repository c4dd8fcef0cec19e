-- PostgreSQL reads the head of the audit log and takes its lock through a
-- function (kewei_audit_head). SQLite has one writer and needs neither.
SELECT 1;
