"""A tour of every page a newcomer meets: the site's pages, the portal signed out, as a client, as staff.

`Tour.build` makes the state through the product's own functions (a client with a finished request,
a long result and API tokens, a request waiting for review, a message in the outbox); each `*_pages`
method lists the pages a person in that role opens.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select

from statex import accounts, review, submissions
from statex.db import session_scope
from statex.models import OutboxMessage
from tests.browser import people

SIGN_IN_PASSWORD = "a long passphrase for the tour"
# Long words, an address and a bare link: the things that widen a narrow page when nothing breaks them.
LONG_REQUEST = (
    "Dobrý den, jsme Pekárna Novák a syn, s.r.o. z Brna. Každý měsíc dostáváme stovky faktur od dodavatelů "
    "e-mailem a dvě účetní je ručně přepisují do účetního systému. Chceme faktury číst automaticky a "
    "kontrolovat je proti objednávkám. Rozpočet máme kolem 250 000 Kč a potřebujeme to spustit do konce "
    "června 2027. Faktury leží na https://intranet.pekarna-novak.example/ucetnictvi/faktury/2026/prijate/"
    "nezpracovane?razeni=datum&stranka=1 a vzory jsou v příloze Vzor_faktury_dodavatele_Mlynarstvi_Brno_2026.pdf. "
    "Pište na fakturace.oddeleni.hlavni@pekarna-novak-a-syn.example nebo volejte 603 123 456."
)


@dataclass
class Tour:
    base: str
    client_email: str
    staff_email: str
    completed_id: str
    in_review_id: str
    message_id: str

    @classmethod
    def build(cls, base: str, settings, make_user, run_jobs) -> "Tour":
        """A client with a finished request and two API tokens; a second request waiting for review."""
        client_email, _, _ = make_user(role="client", password=SIGN_IN_PASSWORD, name="Jana Nováková")
        staff_email, _, _ = make_user(role="admin", password=SIGN_IN_PASSWORD, name="Petr Svoboda")
        with session_scope(settings.database_url) as session:
            owner = accounts.find_user(session, client_email)
            completed = submissions.create(session, owner, LONG_REQUEST)
            accounts.create_token(session, owner, "Nightly import from the accounting system (ERP)")
            accounts.create_token(session, owner, "Laptop")
            completed_id = str(completed.id)
        run_jobs()
        with session_scope(settings.database_url) as session:
            review.set_policy(session, True, [])
            owner = accounts.find_user(session, client_email)
            in_review_id = str(submissions.create(session, owner, "We also want reminders sent the day "
                                                                   "before every delivery is due.").id)
        run_jobs()
        with session_scope(settings.database_url) as session:
            message_id = str(session.scalars(select(OutboxMessage.id)).first())
        return cls(base, client_email, staff_email, completed_id, in_review_id, message_id)

    def site_pages(self, site_dir: Path) -> list[str]:
        """Every page of the built site (both languages), by its address."""
        pages = []
        for index in sorted(site_dir.rglob("index.html")):
            path = index.parent.relative_to(site_dir).as_posix()
            if not path.startswith(("pagefind", "theme")):
                pages.append("/" if path == "." else f"/{path}/")
        return pages

    def signed_out_pages(self) -> list[str]:
        return ["/portal/login", "/portal/signup", "/portal/password/forgot", "/portal/login/link"]

    def client_pages(self) -> list[str]:
        return ["/portal/", "/portal/submissions/new", f"/portal/submissions/{self.completed_id}",
                "/portal/account/", "/portal/notifications", "/portal/account/notifications"]

    def staff_pages(self) -> list[str]:
        return ["/portal/staff/", "/portal/staff/submissions", f"/portal/staff/submissions/{self.completed_id}",
                "/portal/staff/review", f"/portal/staff/review/{self.in_review_id}", "/portal/staff/queues",
                "/portal/staff/deliveries", "/portal/staff/outbox", f"/portal/staff/outbox/{self.message_id}",
                "/portal/staff/audit", "/portal/staff/users"]


def sign_in(page, base: str, email: str) -> None:
    """Sign in through the form, as a person does (it works with JavaScript off too)."""
    people.sign_in(page, base, email, SIGN_IN_PASSWORD, None)
