# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo import models


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

    def _party_words(self):
        words = super()._party_words()
        if self._is_uc_gap():
            words.update(
                party=self.env._("the supplier"),
                Party=self.env._("The supplier"),
                agreement=self.env._(
                    "the contract %(contract)s",
                    contract=self.underpinning_target_id.agreement_id.display_name,
                ),
                started=self.env._("handed over"),
            )
        return words
