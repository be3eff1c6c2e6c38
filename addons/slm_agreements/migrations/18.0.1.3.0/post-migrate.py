# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Pause reason rule 6 on databases upgraded from an earlier version: the
paused time by piece of the clocks that have paused time, from their
history (no reason was given before: *no reason given*), in batches."""

from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    Clock = env["slm.clock"]
    clocks = Clock.search([("paused_seconds", ">", 0)], order="id")
    for start in range(0, len(clocks), 1000):
        batch = clocks[start : start + 1000]
        batch._slm_sync_pauses()
        env.invalidate_all()
