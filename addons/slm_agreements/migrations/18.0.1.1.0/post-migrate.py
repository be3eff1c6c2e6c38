# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Clocks from before the breach scan: schedule their alerts.

What the earlier scheduled action already showed (breaches, the at-risk flag)
counts as alerted, so that upgrading does not send a wave of old alerts; the
breached clocks get their breach records for the gap analysis.
"""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    cr.execute("UPDATE slm_clock SET alert_pct = 100 WHERE status = 'breached'")
    cr.execute(
        """
        UPDATE slm_clock clock SET alert_pct = target.warning_pct
          FROM slm_target target
         WHERE target.id = clock.target_id AND clock.status = 'running'
           AND clock.at_risk
        """
    )
    env = api.Environment(cr, SUPERUSER_ID, {})
    Clock = env["slm.clock"]
    open_clocks = Clock.search([("status", "in", ("running", "breached"))])
    for start in range(0, len(open_clocks), 1000):
        open_clocks[start : start + 1000]._recompute()
    env["slm.breach"]._slm_create_for_clocks(
        Clock.search([("status", "=", "breached")])
    )
