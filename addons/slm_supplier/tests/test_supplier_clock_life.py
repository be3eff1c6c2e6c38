# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""UC clocks during random supplier hand-overs (issue 18, item 3): hand-over,
acknowledgement, take-back (also exactly at a UC deadline), resolution by the
supplier, pausing, closing and reopening, with breach scans at random
instants; after each scan every stored field of every clock equals a fresh
computation of the engine from the ticket's history (clock rule 14)."""

from datetime import timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from odoo.tests import tagged

from odoo.addons.slm_agreements.tests.common import utc
from odoo.addons.slm_agreements.tests.test_clock_life import ClockLifeMixin
from odoo.addons.slm_agreements.tests.test_clock_properties import SETTINGS

from .common import SupplierContractCase

UC_ACTIONS = [
    "handover",
    "handover",
    "ack",
    "resolved",
    "back",
    "deadline:back",
    "stage:waiting",
    "stage:progress",
    "stage:done",
    "scan",
    "scan",
]


@st.composite
def uc_lives(draw):
    start = utc(2024, 1, 15, 6) + timedelta(minutes=draw(st.integers(0, 3 * 1440)))
    steps = draw(
        st.lists(
            st.tuples(st.integers(1, 6 * 60), st.sampled_from(UC_ACTIONS)),
            min_size=2,
            max_size=9,
        )
    )
    return (
        start,
        "1",
        [(5, "handover")] + steps + [(draw(st.integers(1, 1440)), "scan")],
    )


@tagged("post_install", "-at_install")
class TestSupplierClockLife(ClockLifeMixin, SupplierContractCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.team.user_id = cls.manager
        pause = [(6, 0, cls.stage_waiting.ids)]
        cls.uc = cls._uc(
            [
                cls._target("response", 1, warning_pct=33.33),
                cls._target("resolution", 4, cls.brussels, pause_stage_ids=pause),
                cls._target("resolution", 2, pause_stage_ids=pause),
            ]
        )
        cls.uc_resolution_2 = cls.uc.target_ids[2]
        cls.stages = {
            "progress": cls.stage_progress,
            "waiting": cls.stage_waiting,
            "done": cls.stage_done,
        }

    def _do(self, ticket, action, now):
        if action == "deadline:back":
            clock = self._clock(ticket, self.uc_resolution_2)
            if not (clock and clock.status == "running" and clock.deadline > now):
                return now
            now, action = clock.deadline, "back"
        state = ticket.supplier_state
        closed = ticket.stage_id.closed
        if action == "handover":
            if state != "handed_over" and not closed:
                self._hand_over(now, ticket)
        elif action in ("ack", "resolved", "back"):
            if state == "handed_over" and not closed:
                {"ack": self._ack, "resolved": self._resolved, "back": self._take_back}[
                    action
                ](now, ticket)
        else:
            return super()._do(ticket, action, now)
        return now

    def test_hand_worked_take_back_at_the_deadline(self):
        """Handed over 10:05, taken back at 12:05 = the 2 h UC deadline; closed
        13:00, reopened 14:00, handed again 15:00; scans along."""
        self._live(
            (
                utc(2024, 1, 15, 10),
                "1",
                [
                    (5, "handover"),
                    (30, "scan"),
                    (1, "deadline:back"),
                    (5, "scan"),
                    (50, "stage:done"),
                    (60, "stage:progress"),
                    (60, "handover"),
                    (90, "scan"),
                ],
            )
        )

    @settings(max_examples=6, **SETTINGS)
    @given(uc_lives())
    def test_property_scan_at_random_instants(self, life):
        self._live(life)
