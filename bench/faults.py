"""Fault scenarios, scripted against the real stack: gunicorn (DEBUG off) on PostgreSQL and
Redis, the database task queue and `manage.py db_worker`, on loopback only.

    python bench/faults.py email-down      # mail server down, then back
    python bench/faults.py database-down   # the database goes away under a running site
    python bench/faults.py worker-killed   # kill -9 the task worker while it sends
    python bench/faults.py all

Each scenario prints its checks (PASS/FAIL) and writes them to bench/results/. The run makes
a fresh database of its own (portal_faults) and uses Redis database 4.
"""

import argparse
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.parse
from collections import Counter

import benchlib
from benchlib import PYTHON, RESULTS, ROOT, Browser, Gunicorn
from fakesmtp import FakeSMTP
from tcpproxy import TCPProxy

APP_PORT = 8911
SMTP_PORT = 8925
PROXY_PORT = 8932
CACHE_URL = "redis://127.0.0.1:6379/4"


class Report:
    def __init__(self, title: str):
        self.title = title
        self.lines = [f"## {title}", ""]
        self.ok = True

    def step(self, text: str) -> None:
        print(f"  . {text}", flush=True)
        self.lines.append(f"- {text}")

    def check(self, passed: bool, text: str) -> bool:
        print(f"  {'PASS' if passed else 'FAIL'} {text}", flush=True)
        self.lines.append(f"- {'PASS' if passed else '**FAIL**'}: {text}")
        self.ok = self.ok and passed
        return passed

    def text(self) -> str:
        verdict = "all checks passed" if self.ok else "SOME CHECKS FAILED"
        return "\n".join([*self.lines, "", f"Result: {verdict}.", ""])


class Stack:
    """The database, settings and helpers every scenario shares."""

    def __init__(self):
        self.run_id = secrets.token_hex(3)
        self.database_url = benchlib.fresh_database("portal_faults")
        self.env = benchlib.production_env(
            self.database_url,
            cache_url=CACHE_URL,
            EMAIL_URL=f"smtp://127.0.0.1:{SMTP_PORT}",
            EMAIL_TIMEOUT=3,
            NOTIFICATION_RETRY_SECONDS=1,
            INQUIRY_MIN_FILL_SECONDS=0,
            INQUIRY_RATE_LIMIT=1000,
        )
        print(
            "Preparing portal_faults: migrate, demo content and inquiries, collectstatic ...",
            flush=True,
        )
        benchlib.prepare_database(self.env)
        benchlib.flush_redis(CACHE_URL)

    def email(self, label: str) -> str:
        return f"fault-{label}-{self.run_id}@example.com"

    def manage(self, *args: str, env: dict | None = None) -> str:
        result = benchlib.manage(env or self.env, *args)
        return (result.stdout + result.stderr).strip()

    def worker_batch(self) -> None:
        """Run the task worker until no task is ready, as `db_worker --batch` does."""
        self.manage("db_worker", "--batch", "--no-startup-delay", "--interval", "0")

    def inquiry_id(self, email: str) -> int | None:
        return benchlib.sql_value(
            self.database_url, "SELECT id FROM inquiries_inquiry WHERE email = %s", (email,)
        )

    def inquiry_count(self) -> int:
        return benchlib.sql_value(self.database_url, "SELECT count(*) FROM inquiries_inquiry")

    def notifications(self, inquiry_id: int) -> list[tuple]:
        """(id, kind, status, attempts, last_error) of the inquiry's owed emails."""
        return benchlib.sql_rows(
            self.database_url,
            "SELECT id, kind, status, attempts, last_error FROM inquiries_notification "
            "WHERE inquiry_id = %s ORDER BY id",
            (inquiry_id,),
        )


def describe(notifications: list[tuple]) -> str:
    parts = []
    for _id, kind, status, attempts, last_error in notifications:
        error = f", last error {last_error[:70]!r}" if last_error else ""
        parts.append(f"{kind}: {status}, {attempts} attempt(s){error}")
    return "; ".join(parts) or "none"


def submit(report: Report, base: str, email: str) -> bool:
    posted, followed, _ = benchlib.submit_inquiry(base, email)
    thanked = (
        posted.status in (302, 303)
        and followed is not None
        and followed.status == 200
        and "thank" in followed.body.lower()
    )
    detail = f"POST answered {posted.status}"
    if followed is not None:
        detail += f", then {followed.url.removeprefix(base)} answered {followed.status}"
    elif posted.status == 200:
        detail += f" with form errors: {benchlib.form_errors(posted.body)}"
    return report.check(
        thanked, f"the prospect submits the form and sees the thank-you page ({detail})"
    )


# --- Scenarios -----------------------------------------------------------------------------


def email_down(stack: Stack) -> Report:
    report = Report("Email server down")
    email = stack.email("email-down")
    report.step(f"EMAIL_URL points at 127.0.0.1:{SMTP_PORT}, where nothing listens")
    with Gunicorn(stack.env, APP_PORT) as app:
        if not submit(report, app.base, email):
            return report
        inquiry = stack.inquiry_id(email)
        report.check(inquiry is not None, f"the inquiry is saved (row {inquiry})")
        if inquiry is None:
            return report
        owed = stack.notifications(inquiry)
        report.check(bool(owed), f"its emails are recorded as owed: {describe(owed)}")

        stack.worker_batch()
        after = stack.notifications(inquiry)
        report.check(
            bool(after)
            and all(
                status == "pending" and attempts >= 1 and error
                for _, _, status, attempts, error in after
            ),
            f"the worker tried and failed; still pending, error kept: {describe(after)}",
        )

        report.step(f"a mail server starts on 127.0.0.1:{SMTP_PORT}")
        with FakeSMTP(SMTP_PORT) as smtp:
            time.sleep(1.5)  # NOTIFICATION_RETRY_SECONDS=1: the retries are due
            stack.worker_batch()
            retried = stack.notifications(inquiry)
            report.step(f"the worker's own retries ran: {describe(retried)}")
            report.step("`manage.py retry_notifications`: " + stack.manage("retry_notifications"))
            stack.worker_batch()
            final = stack.notifications(inquiry)
            sent = [row for row in final if row[2] == "sent"]
            report.check(
                len(sent) == len(final), f"every owed email is now sent: {describe(final)}"
            )
            delivered = smtp.about(email)
            report.check(
                len(delivered) == len(final),
                f"the mail server received {len(delivered)} message(s) about the inquiry, "
                f"one per notification: {[m.subject for m in delivered]}",
            )
    return report


def database_down(stack: Stack) -> Report:
    report = Report("Database down")
    parts = urllib.parse.urlsplit(stack.database_url)
    target = (parts.hostname or "127.0.0.1", parts.port or 5432)
    via_proxy = parts._replace(netloc=parts.netloc.replace(f":{target[1]}", f":{PROXY_PORT}"))
    env = dict(stack.env, DATABASE_URL=via_proxy.geturl())
    report.step(f"gunicorn reaches PostgreSQL through a TCP proxy on port {PROXY_PORT}")
    with TCPProxy(PROXY_PORT, target) as proxy, Gunicorn(env, APP_PORT) as app:
        base = app.base
        pages = {}
        for path in (
            "/",
            "/careers/",
            "/compare/medical-assistant-vs-phlebotomist/",
            f"/programs/{benchlib.DEMO_PROGRAM}/",
        ):
            final, status = benchlib.canonical(base, path)
            if status == 200:
                pages[final] = status
        report.step(
            "public pages visited while the database is up (now cached in the worker that "
            f"served each, and as the last good copy in Redis): {list(pages)}"
        )
        prospect = Browser(base)
        outage_email = stack.email("database-down")
        post_path, data = benchlib.prospect_form(prospect, outage_email)
        before = stack.inquiry_count()
        gunicorn_pid = app.process.pid

        proxy.cut()
        report.step("the proxy is cut: open connections dropped, new ones refused")
        for path in pages:
            response = Browser(base).get(path)
            report.check(response.status == 200, f"cached {path} still answers {response.status}")
        # Never visited, so no process has a copy of it and there is no last good copy.
        uncached = "/careers/laboratory-technician/"
        response = Browser(base).get(uncached)
        friendly = response.status == 503 and "right back" in response.body
        report.check(
            friendly and "Traceback" not in response.body,
            f"an uncached page ({uncached}) answers {response.status}"
            + (" with the friendly 'We'll be right back' page, no traceback" if friendly else ""),
        )
        form_page = Browser(base).get(benchlib.form_path())
        # A worker that rendered the form's shell before the cut still serves it (the shell
        # holds the programs); the other reads the programs and answers the friendly 503.
        from_shell = form_page.status == 200 and 'name="fill_token"' in form_page.body
        report.check(
            from_shell or (form_page.status == 503 and "right back" in form_page.body),
            f"the form page answers {form_page.status} "
            + ("(from the shell rendered before the cut)" if from_shell else "(friendly page)"),
        )
        health = Browser(base).get("/healthz")
        report.check(health.status == 503, f"/healthz answers {health.status}: {health.body}")
        posted = prospect.post(post_path, data)
        report.check(
            posted.status == 503 and "nothing you sent was saved" in posted.body,
            f"the form POST answers {posted.status}: "
            + (
                "'we can't take your request right now ... nothing you sent was saved'"
                if "nothing you sent was saved" in posted.body
                else posted.body[:120]
            ),
        )
        report.check(
            stack.inquiry_count() == before and stack.inquiry_id(outage_email) is None,
            "nothing half-written: no inquiry row from the failed submission "
            f"({stack.inquiry_count()} rows before and after)",
        )

        proxy.restore()
        report.step("the proxy is restored (gunicorn is not restarted)")
        deadline = time.monotonic() + 15
        while Browser(base).get("/healthz").status != 200 and time.monotonic() < deadline:
            time.sleep(0.5)
        health = Browser(base).get("/healthz")
        report.check(health.status == 200, f"/healthz answers {health.status} again")
        response = Browser(base).get(uncached)
        report.check(response.status == 200, f"{uncached} answers {response.status} again")
        report.check(
            app.process.poll() is None and app.process.pid == gunicorn_pid,
            f"the same gunicorn (pid {gunicorn_pid}) served throughout",
        )
        if submit(report, base, outage_email):
            report.check(
                stack.inquiry_id(outage_email) is not None,
                "the prospect sends it again and the inquiry is saved",
            )
    return report


def worker_killed(stack: Stack) -> Report:
    report = Report("Worker killed mid-task")
    email = stack.email("worker-killed")
    with FakeSMTP(SMTP_PORT) as smtp, Gunicorn(stack.env, APP_PORT) as app:
        stack.worker_batch()  # send whatever earlier scenarios left, so only ours is in flight
        smtp.stall()
        report.step("the mail server is told to stall before it accepts a message")
        if not submit(report, app.base, email):
            return report
        inquiry = stack.inquiry_id(email)
        owed = stack.notifications(inquiry)
        report.step(f"inquiry {inquiry} saved; owed: {describe(owed)}")

        worker = subprocess.Popen(
            [PYTHON, "manage.py", "db_worker", "--no-startup-delay", "--interval", "0.2"],
            cwd=ROOT,
            env=stack.env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        sending = smtp.stalled.wait(60)
        report.check(sending, "the worker is in the middle of sending (the server holds the 250)")
        os.kill(worker.pid, signal.SIGKILL)
        worker.wait()
        report.step(f"kill -9 the worker (pid {worker.pid})")
        time.sleep(0.5)
        smtp.resume()
        mid = stack.notifications(inquiry)
        report.check(
            not smtp.about(email) and all(status == "pending" for _, _, status, _, _ in mid),
            f"nothing was delivered and nothing is marked sent: {describe(mid)}",
        )

        report.step("the worker starts again (`db_worker --batch`)")
        stack.worker_batch()
        restarted = stack.notifications(inquiry)
        report.step(f"after the restart: {describe(restarted)}")
        report.step("`manage.py retry_notifications`: " + stack.manage("retry_notifications"))
        stack.worker_batch()
        final = stack.notifications(inquiry)
        report.check(
            bool(final) and all(status == "sent" for _, _, status, _, _ in final),
            f"every owed email went out: {describe(final)}",
        )
        delivered = smtp.about(email)
        by_subject = Counter(tuple(m.recipients) + (m.subject,) for m in delivered)
        report.check(
            len(delivered) == len(final) and all(n == 1 for n in by_subject.values()),
            f"each exactly once: {len(delivered)} message(s) for {len(final)} notification(s)",
        )

        ids = ", ".join(str(row[0]) for row in final)
        stack.manage(
            "shell",
            "-c",
            "from inquiries.tasks import enqueue_notification\n"
            f"for pk in [{ids}]: enqueue_notification(notification_id=pk)",
        )
        report.step(
            "the sent notifications are queued once more (a duplicate task) and "
            "`retry_notifications` runs again: " + stack.manage("retry_notifications")
        )
        stack.worker_batch()
        again = smtp.about(email)
        report.check(
            len(again) == len(delivered),
            f"nothing already sent is sent again ({len(again)} message(s) in all)",
        )
    return report


SCENARIOS = {
    "email-down": email_down,
    "worker-killed": worker_killed,
    "database-down": database_down,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("scenario", choices=[*SCENARIOS, "all"])
    args = parser.parse_args()
    names = list(SCENARIOS) if args.scenario == "all" else [args.scenario]
    stack = Stack()
    RESULTS.mkdir(parents=True, exist_ok=True)
    ok = True
    for name in names:
        print(f"\n== {name}", flush=True)
        try:
            report = SCENARIOS[name](stack)
        except Exception as error:  # a scenario that cannot run is a failed scenario
            report = Report(name)
            report.check(False, f"the scenario stopped: {type(error).__name__}: {error}")
        (RESULTS / f"faults-{name}.md").write_text(report.text())
        print(f"  -> {'PASS' if report.ok else 'FAIL'} (bench/results/faults-{name}.md)")
        ok = ok and report.ok
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
