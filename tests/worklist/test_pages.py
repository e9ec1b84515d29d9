"""The collector's pages and the supervisor's queue, team and weights pages (real clock, daytime debtors)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.access import SUPERVISOR
from collections_app.models import Disposition, Queue, ScoringWeights, WorkItem
from collections_app.worklist.rescoring import reprioritize_all
from payments.models import Promise
from tests.factories import UserFactory
from tests.gate.support import zone_where_local_hour

from .support import collector, debt, team_with_queue

pytestmark = pytest.mark.django_db


@pytest.fixture
def floor(client):
    team, queue = team_with_queue()
    zone = zone_where_local_hour(range(10, 19), margin_minutes=30)
    accounts = [debt(zone=zone, balance="5000.00"), debt(zone=zone, balance="50.00")]
    reprioritize_all()
    user = collector(team, "pagecol")
    client.force_login(user)
    return client, user, accounts, queue


def test_collector_home_counts_and_next_opens_the_workspace_with_reasons_and_bar(floor):
    client, user, (big, small), _ = floor
    home = client.get(reverse("worklist:home"))
    assert home.status_code == 200
    assert b'data-testid="ready-total">2<' in home.content
    response = client.post(reverse("worklist:next"))
    assert response.status_code == 302 and response.url == reverse("account-workspace", args=[big.pk])
    page = client.get(response.url).content.decode()
    assert "First because" in page and "days past due" in page
    assert 'data-key="1"' in page and "<kbd>1</kbd> No answer" in page
    assert 'data-testid="lease-notice"' in page
    # the disposition rule: no next account before a disposition
    again = client.post(reverse("worklist:next"), follow=True)
    assert "record a disposition" in again.content.decode()
    done = client.post(reverse("worklist:dispose", args=[big.pk]), {"code": "no_answer"})
    assert done.status_code == 302 and done.url == reverse("worklist:home")
    assert Disposition.objects.get(user=user).code == "no_answer"
    assert client.post(reverse("worklist:next")).url == reverse("account-workspace", args=[small.pk])


def test_a_disposition_with_missing_fields_names_them(floor):
    client, _, (big, _), _ = floor
    client.post(reverse("worklist:next"))
    page = client.post(reverse("worklist:dispose", args=[big.pk]), {"code": "worksheet"}, follow=True)
    text = page.content.decode()
    assert "monthly_income" in text and "monthly_expenses" in text
    assert not Disposition.objects.exists()


def test_callback_time_is_read_in_the_debtors_zone(floor):
    client, user, (big, _), _ = floor
    client.post(reverse("worklist:next"))
    client.post(reverse("worklist:dispose", args=[big.pk]),
                {"code": "callback", "callback_at": "2031-05-06T18:30", "callback_zone": "America/Denver"})
    callback = user.callbacks.get()
    assert callback.due_at.isoformat() == "2031-05-07T00:30:00+00:00"  # 18:30 MDT
    assert WorkItem.objects.get(pk=big.pk).owner == user


def test_contact_points_added_and_marked_from_the_workspace(floor):
    client, _, (big, _), _ = floor
    client.post(reverse("worklist:contact_point_add", args=[big.pk]), {"kind": "phone", "value": "(212) 555-0199"})
    phone = big.debtor.phones.get(number="+12125550199")
    assert phone.time_zones == ["America/New_York"]
    client.post(reverse("worklist:contact_point_mark", args=[big.pk, "phone", phone.pk]), {"action": "disconnected"})
    phone.refresh_from_db()
    assert phone.status == "disconnected"
    bad = client.post(reverse("worklist:contact_point_add", args=[big.pk]), {"kind": "phone", "value": "12"},
                      follow=True)
    assert "is not a valid phone number" in bad.content.decode()


def test_the_worklist_refusals_and_messages_read_in_spanish(floor):
    client, user, (big, _), _ = floor
    user.language = "es"
    user.save(update_fields=["language"])
    added = client.post(reverse("worklist:contact_point_add", args=[big.pk]),
                        {"kind": "phone", "value": "(212) 555-0199"}, follow=True).content.decode()
    assert "Se añadió" in added and "Added" not in added
    again = client.post(reverse("worklist:contact_point_add", args=[big.pk]),
                        {"kind": "phone", "value": "(212) 555-0199"}, follow=True).content.decode()
    assert "teléfono: +12125550199 ya está registrado." in again and "already on file" not in again
    skipped = client.post(reverse("worklist:skip"), {"reason": "wrong queue"}, follow=True).content.decode()
    assert "No tiene ninguna cuenta que omitir." in skipped  # nothing leased yet


def test_supervisor_builds_a_queue_and_sees_it_fill(client, django_capture_on_commit_callbacks):
    team, _ = team_with_queue("west", states=["ZZ"])
    zone = zone_where_local_hour(range(10, 19))
    debt(zone=zone, debt_type="medical"), debt(zone=zone, debt_type="medical"), debt(zone=zone)
    client.force_login(UserFactory(roles=[SUPERVISOR]))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("worklist:queue_add"), {
            "name": "Medical", "position": 1, "is_active": "on", "order": "score", "debt_types": ["medical"],
            "teams": [team.pk], "states": ""})
    assert response.status_code == 302 and len(callbacks) == 1  # the rescoring is queued for a worker
    reprioritize_all()  # what the worker runs
    page = client.get(reverse("worklist:queues")).content.decode()
    queue = Queue.objects.get(name="Medical")
    assert queue.items.count() == 2
    assert 'data-testid="queue-size">2<' in page and 'data-testid="queue-workable">2<' in page


def test_supervisor_moves_and_assigns_by_hand(client, floor):
    _, col, (big, small), queue = floor
    other = Queue.objects.create(name="Other", position=99)
    client.force_login(UserFactory(roles=[SUPERVISOR]))
    client.post(reverse("worklist:queue_items", args=[queue.pk]), {"account_ids": big.creditor_account_number,
                                                                      "move_to": other.pk})
    client.post(reverse("worklist:queue_items", args=[queue.pk]), {"account_ids": small.creditor_account_number,
                                                                      "assign_to": col.pk})
    reprioritize_all()
    assert WorkItem.objects.get(pk=big.pk).queue == other  # pinned: the nightly keeps it
    assert WorkItem.objects.get(pk=small.pk).owner == col


def test_weights_preview_then_save_a_new_version(client, floor, django_capture_on_commit_callbacks):
    _, _, (big, small), _ = floor
    client.force_login(UserFactory(roles=[SUPERVISOR]))
    page = client.get(reverse("worklist:weights"))
    form = {k: v.initial for k, v in page.context["form"].fields.items() if v.initial is not None}
    form.update({"balance_per_1000": "0", "bucket.61-90": "0", "creditor." + small.creditor.code: "500"})
    preview = client.post(reverse("worklist:weights"), {**form, "action": "preview"})
    rows = preview.context["preview"]
    assert rows[0]["account"].pk == small.pk and rows[0]["was"] == 2 and rows[0]["move"] == "up"
    assert ScoringWeights.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=False):
        client.post(reverse("worklist:weights"), {**form, "action": "save", "note": "client push"})
    latest = ScoringWeights.objects.first()
    assert latest.version == 2 and latest.weights["creditor"][small.creditor.code] == 500


def test_promise_to_pay_is_taken_through_payments_and_lowers_the_priority(floor):
    client, user, (big, _), _ = floor
    client.post(reverse("worklist:next"))
    due = (timezone.localdate() + timedelta(days=5)).isoformat()
    client.post(reverse("worklist:dispose", args=[big.pk]),
                {"code": "promise", "amount": "200.00", "promise_date": due, "method": "ach"})
    promise = Promise.objects.get(account=big)
    assert promise.amount == Decimal("200.00") and promise.created_by == user
    disposition = Disposition.objects.get(account=big)
    assert disposition.data["promise_id"] == promise.pk
    item = WorkItem.objects.get(pk=big.pk)
    assert not item.ready and item.next_contact_at.date().isoformat() > due


def test_the_queue_page_walks_the_whole_queue_in_pop_order(client):
    from collections_app.worklist import selectors
    from tests.factories import AccountFactory

    queue = Queue.objects.create(name="Long", position=50)
    for n in range(120):
        WorkItem.objects.create(account=AccountFactory(), queue=queue, priority=Decimal(n % 7), ready=n % 2 == 0)
    expected = list(WorkItem.objects.filter(queue=queue).order_by("-priority", "account_id")
                    .values_list("account_id", flat=True))
    seen, after = [], ""
    while True:
        items, after = selectors.queue_items(queue=queue, after=after)
        seen += [i.account_id for i in items]
        if not after:
            break
    assert seen == expected  # every item once, ready or not, in the order collectors get them
    client.force_login(UserFactory(roles=[SUPERVISOR]))
    first = client.get(reverse("worklist:queue_items", args=[queue.pk]))
    assert first.status_code == 200 and 'data-testid="queue-next"' in first.content.decode()
    cursor = first.context["next_after"]
    second = client.get(reverse("worklist:queue_items", args=[queue.pk]), {"after": cursor})
    assert [i.account_id for i in second.context["items"]] == expected[50:100]
    junk = client.get(reverse("worklist:queue_items", args=[queue.pk]), {"after": "x~y"})
    assert [i.account_id for i in junk.context["items"]] == expected[:50]


def test_every_view_counts_workable_the_same_way(floor):
    """The supervisor's queue table, the collector's home and the dashboards' queue summary agree:
    an assigned account is not workable from the queue, a leased one neither, a waiting one neither."""
    from collections_app.dashboards.selectors import queue_sizes
    from collections_app.worklist.leasing import next_account
    from collections_app.worklist.queues import work_item_assign
    from collections_app.worklist.selectors import collector_home, queue_stats

    _, col, (big, small), queue = floor
    extra = debt(balance="10.00")
    reprioritize_all()
    work_item_assign(account_ids=[big.pk], collector=col)  # now only col's, not the queue's
    lease = next_account(user=col)  # col's own account comes first
    assert lease.account.pk == big.pk
    WorkItem.objects.filter(pk=extra.pk).update(ready=False, next_contact_at=timezone.now() + timedelta(hours=1))
    row = next(r for r in queue_stats() if r["queue"].pk == queue.pk)
    home = next(r for r in collector_home(user=col)["queues"] if r["queue"].pk == queue.pk)
    dash = next(r for r in queue_sizes() if r["queue"] and r["queue"].pk == queue.pk)
    assert row["size"] == dash["items"] == 3
    assert row["workable"] == home["ready"] == dash["ready"] == 1  # only `small`
    assert row["assigned"] == 1 and row["leased"] == 1 and row["waiting"] == home["waiting"] == 1


def test_the_workspace_gives_the_score_reasons_in_the_collectors_language(floor):
    client, user, (big, _small), _ = floor
    user.language = "es"
    user.save(update_fields=["language"])
    page = client.get(client.post(reverse("worklist:next")).url).content.decode()
    assert "Primera en la cola porque" in page and "días de atraso" in page
    assert "days past due" not in page and "First because" not in page


@pytest.mark.parametrize("team_id", ["99999999999999999999999999", "-1", "abc"])
def test_a_queue_naming_a_team_id_no_record_can_have_is_a_field_error(client, team_id):
    import html

    client.force_login(UserFactory(roles=[SUPERVISOR]))
    response = client.post(reverse("worklist:queue_add"), {
        "name": "Odd", "position": 1, "is_active": "on", "order": "score", "teams": [team_id], "states": ""})
    assert response.status_code == 200 and not Queue.objects.filter(name="Odd").exists()
    assert f"“{team_id}” is not a valid value." in html.unescape(response.content.decode())


@pytest.mark.parametrize(("field", "value", "message"), [
    ("balance_per_1000", "1e30", "Ensure this value is less than or equal to 1000."),
    ("bucket.61-90", "-99999999999999999999999999", "Ensure this value is greater than or equal to -1000."),
    ("sol_years", "99999999999999999999999999", "Ensure this value is less than or equal to 100."),
    ("no_rpc_cap_days", "NaN", "Enter a number."),
])
def test_weights_out_of_range_are_field_errors_and_save_nothing(client, field, value, message):
    import html

    client.force_login(UserFactory(roles=[SUPERVISOR]))
    page = client.get(reverse("worklist:weights"))
    form = {k: v.initial for k, v in page.context["form"].fields.items() if v.initial is not None}
    versions = ScoringWeights.objects.count()
    for action in ("preview", "save"):
        response = client.post(reverse("worklist:weights"), {**form, field: value, "action": action})
        assert response.status_code == 200 and message in html.unescape(response.content.decode())
    assert ScoringWeights.objects.count() == versions


def test_weights_a_worker_could_not_store_the_score_of_are_refused_by_the_service():
    from django.core.exceptions import ValidationError

    from collections_app.worklist.queues import weights_save

    with pytest.raises(ValidationError, match=r"balance_cap: must be from 0 to 1,000,000, not 1e30"):
        weights_save(weights={"balance_cap": "1e30"}, user=UserFactory())


@pytest.mark.parametrize("back", ["-1", "999999", "https://evil.example/", "a\x00b"])
def test_a_skip_without_a_reason_goes_back_to_the_worklist_whatever_back_says(client, back):
    client.force_login(UserFactory(roles=[SUPERVISOR]))
    response = client.post(reverse("worklist:skip"), {"reason": "", "back": back}, follow=True)
    assert response.redirect_chain[0][0] == reverse("worklist:home")
    assert "Say why you skip the account." in response.content.decode()
