"""PostgreSQL refuses edits and deletes of the contact log and the audit log, whatever the code path.

A queued contact attempt may still move once to its delivery outcome (status, sent_at,
send_decision, error); every other column is frozen from the insert.
"""

from django.db import migrations

from accounts.pg import postgres_only

CREATE = """
CREATE OR REPLACE FUNCTION compliance_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON compliance_auditevent
    FOR EACH ROW EXECUTE FUNCTION compliance_append_only();

CREATE OR REPLACE FUNCTION compliance_contact_attempt_guard() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'compliance_contactattempt is append-only: DELETE refused';
    END IF;
    IF OLD.status <> 'queued'
       OR NEW.status NOT IN ('sent', 'failed', 'blocked_at_send')
       OR (to_jsonb(NEW) - 'status' - 'sent_at' - 'send_decision' - 'error')
          IS DISTINCT FROM (to_jsonb(OLD) - 'status' - 'sent_at' - 'send_decision' - 'error') THEN
        RAISE EXCEPTION 'compliance_contactattempt is append-only: only a queued attempt''s delivery outcome may be set';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER contact_attempt_append_only BEFORE UPDATE OR DELETE ON compliance_contactattempt
    FOR EACH ROW EXECUTE FUNCTION compliance_contact_attempt_guard();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_event_append_only ON compliance_auditevent;
DROP TRIGGER IF EXISTS contact_attempt_append_only ON compliance_contactattempt;
DROP FUNCTION IF EXISTS compliance_append_only();
DROP FUNCTION IF EXISTS compliance_contact_attempt_guard();
"""


class Migration(migrations.Migration):
    dependencies = [("compliance", "0001_initial")]
    operations = [postgres_only(CREATE, DROP)]
