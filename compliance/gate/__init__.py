"""The contact gate: the only door between the application and a debtor.

``contact_check`` answers "may we contact this debtor this way now, and if not why and until
when?" without writing anything; ``contact_send`` records the attempt with that decision and,
for allowed messages, schedules delivery after commit; ``contact_inbound_record`` logs a contact
the consumer made with us (not gated: nothing is sent); ``credit_report_check`` and ``decide_many``
judge credit-bureau furnishing, one account or a whole run in chunks. See DESIGN.md section 4.
"""

from .door import contact_check, contact_options, contact_send, contact_targets
from .inbound import answerable_inbound, contact_inbound_record
from .location import location_contact_check, location_contact_record
from .reporting import credit_report_check, decide_many
from .snapshot import build_context

__all__ = ["answerable_inbound", "build_context", "contact_check", "contact_inbound_record", "contact_options",
           "contact_send", "contact_targets", "credit_report_check", "decide_many", "location_contact_check",
           "location_contact_record"]
