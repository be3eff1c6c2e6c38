# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json
from hashlib import sha256

from odoo import api, fields, models
from odoo.exceptions import UserError

# The one field of a seal the suite changes after sealing (not hashed): the
# next seal of the chain clears it on the previous one, which serialises two
# concurrent seals of the same chain (seal rule 3).
HEAD_FIELD = "is_head"


class SlmSeal(models.Model):
    """One sealed version of a document: what it said when it was issued,
    sent, confirmed or agreed, and its hash chained to the previous seal of
    the same kind of document in the same company (seal rules 1-3).

    ``payload`` is the canonical JSON of the sealed figures; ``hash`` is
    sha256(previous hash + payload). Nothing of a seal changes after it is
    written: the verification recomputes the chain and compares the documents
    still sealed by it with their payload (seal rule 4).
    """

    _name = "slm.seal"
    _description = "Sealed Document Version"
    _order = "kind, company_id, sequence"
    _rec_name = "document_name"

    kind = fields.Char(
        required=True,
        readonly=True,
        index=True,
        help="The model of the sealed document: one chain per kind and company.",
    )
    kind_name = fields.Char(
        string="Kind of Document", compute="_compute_kind_name", compute_sudo=True
    )
    res_id = fields.Many2oneReference(
        string="Document ID", model_field="kind", required=True, readonly=True
    )
    document_name = fields.Char(
        string="Document", readonly=True, help="The document's name when sealed."
    )
    company_id = fields.Many2one(
        "res.company", required=True, readonly=True, index=True
    )
    sequence = fields.Integer(
        required=True,
        readonly=True,
        help="Position in the chain of this kind of document of the company, "
        "from 1, without gaps.",
    )
    payload = fields.Text(readonly=True, help="The sealed figures, as canonical JSON.")
    previous_hash = fields.Char(readonly=True)
    hash = fields.Char(readonly=True, index=True)
    sealed_at = fields.Datetime(readonly=True)
    sealed_by_id = fields.Many2one("res.users", readonly=True)
    is_head = fields.Boolean(
        readonly=True, help="The last seal of its chain (the next seal links to it)."
    )

    _sql_constraints = [
        (
            "chain_sequence_uniq",
            "unique(kind, company_id, sequence)",
            "Two seals cannot take the same place in a chain.",
        ),
    ]

    def _compute_kind_name(self):
        names = {
            model.model: model.name
            for model in self.env["ir.model"]
            .sudo()
            .search([("model", "in", list(set(self.mapped("kind"))))])
        }
        for seal in self:
            seal.kind_name = names.get(seal.kind, seal.kind)

    # ------------------------------------------------------------------
    # Seals never change (seal rule 2)
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(self._read_only_error())
        return super().create(vals_list)

    def write(self, vals):
        # Only the sealing itself moves the head of the chain.
        if not (self.env.su and set(vals) == {HEAD_FIELD}):
            raise UserError(self._read_only_error())
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self._read_only_error())

    def _read_only_error(self):
        return self.env._(
            "Seals are written by the suite when a document is issued, sent, "
            "confirmed or agreed, and never change: they are the evidence that "
            "the document was not altered afterwards."
        )

    # ------------------------------------------------------------------
    # Hashing
    # ------------------------------------------------------------------

    @api.model
    def _hash(self, previous_hash, payload):
        return sha256(((previous_hash or "") + payload).encode()).hexdigest()

    @api.model
    def _dumps(self, values):
        return json.dumps(
            values, sort_keys=True, ensure_ascii=True, separators=(",", ":")
        )

    # ------------------------------------------------------------------
    # Verification (seal rule 4)
    # ------------------------------------------------------------------

    @api.model
    def _sealed_kinds(self):
        """The models of the documents that are sealed."""
        return sorted(
            name
            for name in self.env.registry.descendants(["slm.sealed.mixin"], "_inherit")
            if not self.env[name]._abstract
        )

    @api.model
    def _verify_chains(self, companies=None):
        """Recompute every chain of seals of ``companies`` (default: the
        current user's companies) and compare the documents still sealed with
        their seal. One result per kind and company, as a dict:
        kind, kind_name, company, count, first, last (seals), unsealed (how
        many documents in a sealed state carry no seal), ok, problems (texts),
        altered (the documents found altered)."""
        companies = companies or self.env.companies
        Seal = self.sudo()
        results = []
        for kind in self._sealed_kinds():
            Document = self.env[kind].sudo().with_context(active_test=False)
            kind_name = self.env["ir.model"]._get(kind).name
            for company in companies:
                seals = Seal.search(
                    [("kind", "=", kind), ("company_id", "=", company.id)],
                    order="sequence",
                )
                unsealed = Document.search_count(
                    Document._seal_state_domain()
                    + [("company_id", "=", company.id), ("seal_id", "=", False)]
                )
                result = {
                    "kind": kind,
                    "kind_name": kind_name,
                    "company": company,
                    "count": len(seals),
                    "first": seals[:1],
                    "last": seals[-1:],
                    "unsealed": unsealed,
                    "problems": [],
                    "altered": Document.browse(),
                }
                result["problems"], result["altered"] = seals._verify_chain(Document)
                result["ok"] = not result["problems"]
                results.append(result)
        return results

    def _verify_chain(self, Document):
        """(problems, altered documents) of these seals of one chain, in
        order. The chain stops being trusted at its first broken link; each
        document still sealed is compared with its seal."""
        problems = []
        altered = Document.browse()
        previous_hash = ""
        # Read the documents together (one prefetch for the chain).
        documents = {
            document.id: document
            for document in Document.browse(self.mapped("res_id")).exists()
        }
        # The last seal of each document, and the documents that should
        # still carry it (a month reset by a Supplier Manager does not).
        last_seal = {seal.res_id: seal for seal in self}
        in_sealed_state = set(
            Document.search(
                Document._seal_state_domain() + [("id", "in", list(documents))]
            ).ids
        )
        for expected, seal in enumerate(self, start=1):
            broken = seal._link_problem(expected, previous_hash)
            if broken:
                problems.append(broken)
                break
            previous_hash = seal.hash
            document = documents.get(seal.res_id)
            still_sealed = (
                last_seal[seal.res_id] == seal and seal.res_id in in_sealed_state
            )
            problem = seal._document_problem(document, still_sealed)
            if problem:
                problems.append(problem)
                if document:
                    altered |= document
        return problems, altered

    def _link_problem(self, expected, previous_hash):
        """What breaks the chain at this seal, expected at position
        ``expected`` after a seal of hash ``previous_hash``; None when the
        link holds."""
        self.ensure_one()
        name = self.document_name or f"#{self.res_id}"
        if self.sequence != expected:
            return self.env._(
                "Seal No. %(expected)s is missing before %(document)s: "
                "a sealed version was deleted.",
                expected=expected,
                document=name,
            )
        if (self.previous_hash or "") != previous_hash or self.hash != (
            self._hash(previous_hash, self.payload or "")
        ):
            return self.env._(
                "The seal of %(document)s (No. %(sequence)s) was altered: "
                "its recorded figures or its link to the previous seal "
                "no longer match its hash.",
                document=name,
                sequence=self.sequence,
            )
        return None

    def _document_problem(self, document, still_sealed):
        """What is wrong with the document of this seal (empty when it was
        deleted); None when nothing is. ``still_sealed``: this is the
        document's last seal and the document is in a sealed state."""
        self.ensure_one()
        if not document:
            # The name apart: the translation export cannot read an f-string
            # among the arguments of _() (it skipped this file's terms).
            name = self.document_name or f"#{self.res_id}"
            return self.env._(
                "%(document)s (seal No. %(sequence)s) was deleted.",
                document=name,
                sequence=self.sequence,
            )
        if document.seal_id != self:
            if still_sealed:
                return self.env._(
                    "%(document)s (seal No. %(sequence)s) lost its seal "
                    "but is still %(state)s.",
                    document=document.display_name,
                    sequence=self.sequence,
                    state=document._seal_state_label(),
                )
            # Otherwise released by a logged action, or sealed again later.
            return None
        differences = document._seal_differences(self.payload or "{}")
        if differences:
            return self.env._(
                "%(document)s (seal No. %(sequence)s) was altered after "
                "it was sealed: %(fields)s.",
                document=document.display_name,
                sequence=self.sequence,
                fields=", ".join(differences),
            )
        return None
