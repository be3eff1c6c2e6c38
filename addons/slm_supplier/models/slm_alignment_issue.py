# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models
from odoo.tools.misc import format_date


class SlmAlignmentIssue(models.Model):
    """Gaps between SLA targets and the UC targets that back them, told in
    the words of a supplier contract."""

    _inherit = "slm.alignment.issue"

    def _label(self, target):
        """E.g. 'UC0001 (Fibre Networks Ltd) resolution 24 h'."""
        label = super()._label(target)
        agreement = target.agreement_id
        if agreement.kind != "uc" or not agreement.supplier_id:
            return label
        reference = agreement.reference or agreement.name
        if reference and label.startswith(reference):
            return (
                f"{reference} ({agreement.supplier_id.display_name})"
                f"{label[len(reference) :]}"
            )
        return f"{label} ({agreement.supplier_id.display_name})"

    def _is_uc_gap(self):
        return self.underpinning_target_id.kind == "uc"

    def _explain_threshold(self):
        if not self._is_uc_gap():
            return super()._explain_threshold()
        sla, under = self.sla_target_id, self.underpinning_target_id
        if not self.example_date:
            return self.env._(
                "%(under)s backs %(sla)s: the supplier may take longer than the "
                "customer was promised.",
                under=self._label(under),
                sla=self._label(sla),
            )
        return self.env._(
            "%(under)s (%(under_hours)s) backs %(sla)s (%(sla_hours)s): each "
            "counted in its own hours, the supplier's deadline can fall up to "
            "%(late)s after the customer's, e.g. for a ticket handed over on "
            "%(when)s. The supplier may take longer than the customer was "
            "promised.",
            under=self._label(under),
            under_hours=self._hours_label(under),
            sla=self._label(sla),
            sla_hours=self._hours_label(sla),
            late=self._duration(self.late_hours * 3600),
            when=self._when(self.example_date),
        )

    def _explain_calendar(self):
        if not self._is_uc_gap():
            return super()._explain_calendar()
        sla, under = self.sla_target_id, self.underpinning_target_id
        return self.env._(
            "%(under)s counts time in %(under_hours)s, which leaves %(hours)s a "
            "week of the working hours of %(sla)s (%(sla_hours)s) uncovered, e.g. "
            "%(start)s to %(end)s: the customer's clock runs while the supplier "
            "is not committed.",
            under=self._label(under),
            under_hours=self._hours_label(under),
            hours=self._duration(self.uncovered_hours * 3600),
            sla=self._label(sla),
            sla_hours=self._hours_label(sla),
            start=self._when(self.example_date, with_zone=False),
            end=self._when(self.example_end, same_day_as=self.example_date),
        )

    def _explain_objective(self):
        if not self._is_uc_gap():
            return super()._explain_objective()
        sla, under = self.sla_target_id, self.underpinning_target_id
        return self.env._(
            "%(under)s promises %(under_pct)s %% of the tickets, %(sla)s "
            "promises %(sla_pct)s %%: the supplier may miss more often than the "
            "customer was promised.",
            under=self._label(under),
            under_pct=format(under.objective_pct, "g"),
            sla=self._label(sla),
            sla_pct=format(sla.objective_pct, "g"),
        )

    def _explain_not_in_force(self):
        if not self._is_uc_gap():
            return super()._explain_not_in_force()
        sla, under = self.sla_target_id, self.underpinning_target_id
        contract, sla_agreement = under.agreement_id, sla.agreement_id
        states = dict(contract._fields["state"]._description_selection(self.env))
        values = {
            "under": self._label(under),
            "sla": self._label(sla),
            "contract": contract.display_name,
            "sla_agreement": sla_agreement.display_name,
            "state": states.get(contract.state, "").lower(),
        }
        if self.reason == "not_agreed":
            return self.env._(
                "%(under)s backs %(sla)s, but the contract %(contract)s is "
                "%(state)s, not agreed: it does not commit the supplier yet.",
                **values,
            )
        if self.reason == "closed":
            text = self.env._(
                "%(under)s backs %(sla)s, but the contract %(contract)s is "
                "%(state)s: it no longer commits the supplier.",
                **values,
            )
            if contract.superseded_by_id:
                text += " " + self.env._(
                    "Link the target of its new revision %(revision)s instead.",
                    revision=contract.superseded_by_id.display_name,
                )
            return text
        if self.reason == "archived":
            return self.env._(
                "%(under)s backs %(sla)s, but that target is archived: it no "
                "longer commits the supplier.",
                **values,
            )
        if self.reason == "starts_later":
            return self.env._(
                "%(under)s backs %(sla)s, but the contract %(contract)s starts "
                "only on %(start)s, while %(sla_agreement)s is in force from "
                "%(sla_start)s: until then the supplier is not committed.",
                start=format_date(self.env, contract.date_start),
                sla_start=format_date(self.env, sla_agreement.date_start),
                **values,
            )
        if sla_agreement.date_end:
            return self.env._(
                "%(under)s backs %(sla)s, but the contract %(contract)s ends on "
                "%(end)s, before %(sla_agreement)s (until %(sla_end)s): after "
                "that the supplier is not committed.",
                end=format_date(self.env, contract.date_end),
                sla_end=format_date(self.env, sla_agreement.date_end),
                **values,
            )
        return self.env._(
            "%(under)s backs %(sla)s, but the contract %(contract)s ends on "
            "%(end)s, while %(sla_agreement)s is open-ended: after that the "
            "supplier is not committed.",
            end=format_date(self.env, contract.date_end),
            **values,
        )
