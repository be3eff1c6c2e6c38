#!/usr/bin/env python3
# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# pylint: disable=print-used
"""Upgrade and uninstall safety of the SLM suite (called by setup/test.sh).

    .venv/bin/python setup/check_upgrade.py [--suite a,b,...] [--addons-path ...]

On one database, ``$SLM_UPGRADE_DB`` (default slm_test_upgrade), dropped and
rebuilt on every run:

1. helpdesk_mgmt alone, with demo data, then 5,000 tickets bulk-inserted in
   SQL (``$SLM_UPGRADE_TICKETS``): a helpdesk in use before the suite, a third
   of its tickets closed, created over the last 60 days, for one customer;
2. installs the suite on it (with demo data), then agrees a customer-based SLA
   for that customer and runs its "Clocks for Existing Tickets" job
   (``slm.agreement._cron_run_clock_jobs``): every old ticket must get the
   SLA's two clocks and its backfilled history;
3. upgrades every suite addon twice in a row (``-u``); the second upgrade
   must change nothing: every row (but write_date / write_uid) of every
   ``slm_*`` table, the suite's ``ir_model_data`` and every record those
   name (views with their arch, menus, actions, access rules, record rules,
   fields, groups, crons, templates...) are hashed before and after it;
4. uninstalls the suite (``button_immediate_uninstall``, dependants first):
   no suite table, column or xml id may remain, the tickets stay;
5. runs helpdesk_mgmt's own tests on that database (``-u helpdesk_mgmt
   --test-enable --test-tags /helpdesk_mgmt``): they must pass.

Prints one line per step and a summary; exits 1 when a step fails. Odoo's
output goes to ``.logs/check-upgrade.log``. Environment: SLM_UPGRADE_DB,
SLM_UPGRADE_TICKETS, SLM_UPGRADE_HTTP_PORT (default 8179), PG*.
"""

import argparse
import hashlib
import os
import re
import subprocess
import sys
import time
import warnings

import odoo
from odoo.tools import SQL, config

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CONF = os.path.join(ROOT, "odoo.conf")
LOG = os.path.join(ROOT, ".logs", "check-upgrade.log")
CUSTOMER = "Upgrade Check Customer"
# Columns every upgrade may touch without changing anything.
VOLATILE = {"write_date", "write_uid"}
TEST_RESULT = re.compile(
    r"odoo\.tests\.result: (\d+) failed, (\d+) error\(s\) of (\d+)"
)
ERROR_LINE = re.compile(r"^\S+ \S+ \d+ (ERROR|CRITICAL) ", re.M)


class CheckFailed(Exception):
    pass


def default_addons_path():
    odoo_addons = os.path.join(os.path.dirname(odoo.__file__), "addons")
    return f"{os.path.join(ROOT, 'addons')},{odoo_addons}"


def default_suite():
    names = []
    for name in sorted(os.listdir(os.path.join(ROOT, "addons"))):
        manifest = os.path.join(ROOT, "addons", name, "__manifest__.py")
        if os.path.isfile(manifest):
            names.append(name)
    return ",".join(names)


class Checker:
    def __init__(self, args):
        self.args = args
        self.db = args.db
        self.suite = [m for m in args.suite.split(",") if m]
        self.results = []  # (step, ok, detail, seconds)

    # ------------------------------------------------------------------ tools

    def odoo_bin(self, *args, label):
        """Run odoo-bin on the database; its output goes to the log file."""
        command = [
            os.path.join(ROOT, ".venv", "bin", "odoo-bin"),
            "-c",
            CONF,
            f"--addons-path={self.args.addons_path}",
            *args,
        ]
        with open(LOG, "a") as log:
            log.write(f"\n===== {label}: {' '.join(command)}\n")
            log.flush()
            start = log.tell()
            rc = subprocess.run(
                command, stdout=log, stderr=subprocess.STDOUT, check=False
            ).returncode
        with open(LOG, errors="replace") as log:
            log.seek(start)
            output = log.read()
        return rc, output

    def env_do(self, func):
        """``func(env)`` as superuser on a fresh registry, committed."""
        odoo.modules.registry.Registry.delete(self.db)
        registry = odoo.modules.registry.Registry(self.db)
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            result = func(env)
            cr.commit()  # pylint: disable=invalid-commit
        return result

    def step(self, label, func):
        started = time.monotonic()
        try:
            detail = func()
            ok = True
        except CheckFailed as error:
            detail, ok = str(error), False
        except Exception as error:  # pylint: disable=broad-except
            detail, ok = f"{type(error).__name__}: {error}", False
        seconds = time.monotonic() - started
        self.results.append((label, ok, detail, seconds))
        print(
            f"[upgrade check] {'ok  ' if ok else 'FAIL'} {label} ({seconds:.0f} s): "
            f"{detail}",
            flush=True,
        )
        return ok

    # ------------------------------------------------------------------ steps

    def create_helpdesk(self):
        # (fails harmlessly when the database does not exist)
        subprocess.run(
            [os.path.join(ROOT, ".venv", "bin", "odoo-bin"), "db", "-c", CONF]
            + ["drop", self.db],
            capture_output=True,
            check=False,
        )
        rc, output = self.odoo_bin(
            "-d",
            self.db,
            "-i",
            "helpdesk_mgmt",
            "--stop-after-init",
            "--log-level=warn",
            label="create with helpdesk_mgmt",
        )
        if rc:
            raise CheckFailed(f"odoo-bin exited with {rc} (see {LOG})")
        count = self.env_do(self.bulk_tickets)
        return f"helpdesk_mgmt with demo data, {count} tickets inserted in SQL"

    def bulk_tickets(self, env):
        customer = env["res.partner"].create({"name": CUSTOMER, "is_company": True})
        template = env["helpdesk.ticket"].create(
            {
                "name": "Template",
                "description": "<p>Broken.</p>",
                "partner_id": customer.id,
            }
        )
        env.flush_all()
        new = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_new")
        progress = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_in_progress")
        done = env.ref("helpdesk_mgmt.helpdesk_ticket_stage_done")
        cr = env.cr
        cr.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'helpdesk_ticket' AND column_name NOT IN "
            "('id', 'name', 'number', 'create_date', 'write_date', 'stage_id', "
            "'closed_date', 'last_stage_update', 'priority', 'access_token', "
            "'team_id', 'user_id')"
        )
        columns = ", ".join(f'"{row[0]}"' for row in cr.fetchall())
        cr.execute(
            f"""
            INSERT INTO helpdesk_ticket (name, number, create_date, write_date,
                   stage_id, closed_date, last_stage_update, priority, {columns})
            SELECT 'Old ticket ' || n, 'OLD' || n, created, created,
                   CASE n %% 3 WHEN 0 THEN %(done)s WHEN 1 THEN %(new)s
                        ELSE %(progress)s END,
                   CASE WHEN n %% 3 = 0 THEN created + interval '5 hours' END,
                   created + CASE WHEN n %% 3 = 0 THEN interval '5 hours'
                                  ELSE interval '0' END,
                   (n %% 4)::varchar,
                   {columns}
              FROM helpdesk_ticket,
                   generate_series(1, %(count)s) AS n,
                   LATERAL (SELECT now() at time zone 'UTC'
                                   - (n %% 60) * interval '1 day'
                                   - (n %% 24) * interval '1 hour' AS created) c
             WHERE id = %(template)s
            """,
            {
                "done": done.id,
                "new": new.id,
                "progress": progress.id,
                "count": self.args.tickets,
                "template": template.id,
            },
        )
        inserted = cr.rowcount
        template.unlink()
        return inserted

    def install_suite(self):
        rc, output = self.odoo_bin(
            "-d",
            self.db,
            "-i",
            ",".join(self.suite),
            "--stop-after-init",
            "--log-level=warn",
            label="install the suite",
        )
        errors = ERROR_LINE.findall(output)
        if rc or errors:
            raise CheckFailed(
                f"odoo-bin exited with {rc}, {len(errors)} ERROR lines (see {LOG})"
            )
        return self.env_do(self.backfill)

    def backfill(self, env):
        customer = env["res.partner"].search([("name", "=", CUSTOMER)], limit=1)
        tickets = env["helpdesk.ticket"].search(
            [("partner_id", "=", customer.id)], order="id"
        )
        clocks_before = env["slm.clock"].search_count(
            [("ticket_id", "in", tickets.ids)]
        )
        agreement = env["slm.agreement"].create(
            {
                "name": "Upgrade check SLA",
                "kind": "sla",
                "structure": "customer_based",
                "partner_id": customer.id,
                "date_start": "2020-01-01",
                "customer_signed_by_id": customer.id,
                "customer_signed_date": "2020-01-01",
                "target_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "Response",
                            "metric": "response",
                            "threshold_hours": 4,
                            "around_the_clock": True,
                        },
                    ),
                    (
                        0,
                        0,
                        {
                            "name": "Resolution",
                            "metric": "resolution",
                            "threshold_hours": 24,
                            "around_the_clock": True,
                        },
                    ),
                ],
            }
        )
        agreement.with_user(env.ref("base.user_admin")).action_agree()
        agreement.action_backfill_clocks()
        env.cr.commit()
        started = time.monotonic()
        env["slm.agreement"]._cron_run_clock_jobs()
        elapsed = time.monotonic() - started
        env.invalidate_all()
        clocks = env["slm.clock"].search([("agreement_id", "=", agreement.id)])
        per_ticket = {}
        for clock in clocks:
            per_ticket[clock.ticket_id.id] = per_ticket.get(clock.ticket_id.id, 0) + 1
        missing = [t for t in tickets.ids if per_ticket.get(t) != 2]
        env.cr.execute(
            "SELECT count(DISTINCT ticket_id) FROM slm_ticket_event "
            "WHERE event_type = 'created' AND ticket_id = ANY(%s)",
            [tickets.ids],
        )
        with_history = env.cr.fetchone()[0]
        statuses = {}
        for clock in clocks:
            statuses[clock.status] = statuses.get(clock.status, 0) + 1
        if (
            agreement.clock_job_state != "done"
            or missing
            or clocks_before
            or with_history != len(tickets)
        ):
            raise CheckFailed(
                f"job {agreement.clock_job_state}, {len(missing)} of {len(tickets)} "
                f"old tickets without their two clocks, {with_history} with a "
                f"history, {clocks_before} clocks before the job"
            )
        summary = ", ".join(f"{s} {n}" for s, n in sorted(statuses.items()))
        return (
            f"suite installed; backfill of {len(tickets)} old tickets in "
            f"{elapsed:.1f} s: {len(clocks)} clocks ({summary})"
        )

    def upgrade(self, label):
        rc, output = self.odoo_bin(
            "-d",
            self.db,
            "-u",
            ",".join(self.suite),
            "--stop-after-init",
            "--log-level=warn",
            label=label,
        )
        errors = ERROR_LINE.findall(output)
        if rc or errors:
            raise CheckFailed(
                f"odoo-bin exited with {rc}, {len(errors)} ERROR lines (see {LOG})"
            )

    def snapshot(self, env):
        """{name: (rows, digest)} of the suite's data."""
        cr = env.cr
        tables = {}
        cr.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename LIKE 'slm\\_%%' ORDER BY 1"
        )
        for (table,) in cr.fetchall():
            tables[table] = self._digest(cr, table)
        cr.execute(
            "SELECT model, array_agg(res_id) FROM ir_model_data "
            "WHERE module = ANY(%s) GROUP BY model ORDER BY model",
            [self.suite],
        )
        by_model = cr.fetchall()
        tables["ir_model_data (suite)"] = self._digest(
            cr,
            "ir_model_data",
            SQL("module = ANY(%s)", self.suite),
            ["id", "module", "name", "model", "res_id", "noupdate"],
        )
        for model, res_ids in by_model:
            if model not in env or not env[model]._auto or env[model]._abstract:
                continue
            table = env[model]._table
            tables[f"{table} (suite records)"] = self._digest(
                cr, table, SQL("id = ANY(%s)", res_ids)
            )
        return tables

    def _digest(self, cr, table, where=None, columns=None):
        if columns is None:
            cr.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'public' AND table_name = %s ORDER BY 1",
                [table],
            )
            columns = [c for (c,) in cr.fetchall() if c not in VOLATILE]
        row = SQL(", ").join(SQL.identifier("t", c) for c in columns)
        cr.execute(
            SQL(
                "SELECT count(*), md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) "
                "FROM (SELECT ROW(%s)::text AS r FROM %s t WHERE %s) rows",
                row,
                SQL.identifier(table),
                where or SQL("TRUE"),
            )
        )
        return cr.fetchone()

    def upgrade_twice(self):
        self.upgrade("first upgrade")
        before = self.env_do(self.snapshot)
        self.upgrade("second upgrade")
        after = self.env_do(self.snapshot)
        changed = [
            f"{name} ({before.get(name, (0,))[0]} -> {after.get(name, (0,))[0]} rows)"
            for name in sorted(set(before) | set(after))
            if before.get(name) != after.get(name)
        ]
        rows = sum(count for count, _digest in after.values())
        if changed:
            raise CheckFailed("the second upgrade changed: " + "; ".join(changed))
        return (
            f"upgraded twice; the second upgrade changed nothing in "
            f"{len(after)} tables / record sets, {rows} rows "
            f"(digest {hashlib.md5(repr(sorted(after.items())).encode()).hexdigest()[:12]})"  # noqa: E501
        )

    def uninstall(self):
        order = self.env_do(self.uninstall_order)
        tickets_before = self.env_do(self.tickets_not_of_the_suite)
        for name in order:
            self.env_do(
                lambda env, name=name: env["ir.module.module"]
                .search([("name", "=", name), ("state", "=", "installed")])
                .button_immediate_uninstall()
            )
        return self.env_do(lambda env: self.after_uninstall(env, order, tickets_before))

    def uninstall_order(self, env):
        """Suite modules, those that depend on others of the suite first."""
        modules = env["ir.module.module"].search([("name", "in", self.suite)])
        depth = {}

        def level(module):
            if module.name not in depth:
                depth[module.name] = 1 + max(
                    (
                        level(dep.depend_id)
                        for dep in module.dependencies_id
                        if dep.depend_id.name in self.suite
                    ),
                    default=0,
                )
            return depth[module.name]

        return sorted(
            self.suite,
            key=lambda name: -level(modules.filtered(lambda m, n=name: m.name == n)),
        )

    def tickets_not_of_the_suite(self, env):
        """Tickets, but those of the suite's demo data (removed with it)."""
        env.cr.execute(
            "SELECT count(*) FROM helpdesk_ticket WHERE id NOT IN (SELECT res_id "
            "FROM ir_model_data WHERE model = 'helpdesk.ticket' AND module = ANY(%s))",
            [self.suite],
        )
        return env.cr.fetchone()[0]

    def after_uninstall(self, env, order, tickets_before):
        cr = env.cr
        problems = []
        still = env["ir.module.module"].search(
            [("name", "in", self.suite), ("state", "!=", "uninstalled")]
        )
        if still:
            problems.append(
                "not uninstalled: " + ", ".join(f"{m.name} ({m.state})" for m in still)
            )
        cr.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' "
            "AND tablename LIKE 'slm\\_%%'"
        )
        tables = [t for (t,) in cr.fetchall()]
        if tables:
            problems.append("tables left: " + ", ".join(tables))
        cr.execute(
            "SELECT table_name || '.' || column_name FROM information_schema.columns "
            "WHERE table_schema = 'public' AND column_name LIKE 'slm\\_%%' "
            "OR (table_name = 'helpdesk_ticket' AND column_name = 'service_id')"
        )
        columns = [c for (c,) in cr.fetchall()]
        if columns:
            problems.append("columns left: " + ", ".join(columns))
        # Odoo keeps (with their xml ids) the records it cannot delete; a user
        # who acted in the database is one (demo users), and their partners.
        cr.execute(
            "SELECT model, module || '.' || name FROM ir_model_data "
            "WHERE module = ANY(%s) ORDER BY 1, 2",
            [self.suite],
        )
        kept, left = [], []
        for model, xmlid in cr.fetchall():
            (kept if model in ("res.users", "res.partner") else left).append(xmlid)
        if left:
            problems.append(f"{len(left)} xml ids left: {', '.join(left[:10])}")
        tickets = env["helpdesk.ticket"].search_count([])
        if tickets != tickets_before:
            problems.append(f"tickets: {tickets_before} before, {tickets} after")
        if problems:
            raise CheckFailed("; ".join(problems))
        return (
            f"uninstalled {', '.join(order)}: no table, column or xml id left"
            + (
                f" (users/partners Odoo could not delete kept: {', '.join(kept)})"
                if kept
                else ""
            )
            + f", the {tickets} tickets kept"
        )

    def helpdesk_tests(self):
        rc, output = self.odoo_bin(
            "-d",
            self.db,
            "-u",
            "helpdesk_mgmt",
            "--test-enable",
            "--test-tags",
            "/helpdesk_mgmt",
            "--stop-after-init",
            f"--http-port={self.args.http_port}",
            f"--db-filter=^{self.db}$",
            "--log-level=info",
            label="helpdesk_mgmt tests",
        )
        results = TEST_RESULT.findall(output)
        errors = [
            line
            for line in output.splitlines()
            if ERROR_LINE.match(line) and "DeprecationWarning" not in line
        ]
        if not results:
            raise CheckFailed(f"no test result (exit {rc}; see {LOG})")
        failed, errored, total = (int(n) for n in results[-1])
        if rc or failed or errored or errors or not total:
            raise CheckFailed(
                f"{failed} failed, {errored} errors of {total} tests, exit {rc}, "
                f"{len(errors)} ERROR lines (see {LOG})"
            )
        return f"helpdesk_mgmt's tests pass after the uninstall: {total} tests"

    def run(self):
        started = time.monotonic()
        steps = [
            ("1. helpdesk_mgmt with 5,000 tickets", self.create_helpdesk),
            ("2. install the suite + backfill", self.install_suite),
            ("3. upgrade twice", self.upgrade_twice),
            ("4. uninstall the suite", self.uninstall),
            ("5. helpdesk_mgmt's tests", self.helpdesk_tests),
        ]
        for label, func in steps:
            if not self.step(label, func):
                break
        passed = sum(1 for _label, ok, _d, _s in self.results if ok)
        ok = passed == len(steps)
        print(
            f"[upgrade check] {'passed' if ok else 'FAILED'}: {passed} of "
            f"{len(steps)} steps passed in {time.monotonic() - started:.0f} s "
            f"(database {self.db}, log {os.path.relpath(LOG, ROOT)})",
            flush=True,
        )
        return 0 if ok else 1


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--db", default=os.environ.get("SLM_UPGRADE_DB", "slm_test_upgrade")
    )
    parser.add_argument("--suite", default=default_suite())
    parser.add_argument("--addons-path", default=default_addons_path())
    parser.add_argument(
        "--tickets", type=int, default=int(os.environ.get("SLM_UPGRADE_TICKETS", 5000))
    )
    parser.add_argument(
        "--http-port",
        type=int,
        default=int(os.environ.get("SLM_UPGRADE_HTTP_PORT", 8179)),
    )
    args = parser.parse_args()
    if not args.suite:
        print("[upgrade check] no suite addon: nothing to check")
        return 0
    if args.db == os.environ.get("SLM_DB", "slm"):
        print(f"[upgrade check] {args.db} is run.sh's database: choose another")
        return 1
    os.makedirs(os.path.dirname(LOG), exist_ok=True)
    with open(LOG, "w"):
        pass
    config.parse_config(
        [
            "-c",
            CONF,
            f"--addons-path={args.addons_path}",
            "--log-level=warn",
            f"--logfile={LOG}",
        ]
    )
    odoo.netsvc.init_logger()
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    return Checker(args).run()


if __name__ == "__main__":
    sys.exit(main())
