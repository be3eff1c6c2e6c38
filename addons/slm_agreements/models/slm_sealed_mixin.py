# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
import json

from psycopg2 import errors

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# The seal fields of a document: written only by ``_seal`` (seal rule 2).
SEAL_FIELDS = {
    "seal_id",
    "seal_hash",
    "seal_previous_hash",
    "seal_sequence",
    "sealed_at",
}


class SlmSealedMixin(models.AbstractModel):
    """A document sealed when it is issued, sent, confirmed or agreed (seal
    rules 1-4).

    A model lists its frozen figures in ``_seal_fields`` ("field" or
    "one2many.subfield" for its lines), says which documents should carry a
    seal in ``_seal_state_domain``, and calls ``_seal`` from its action once
    the document is frozen.
    """

    _name = "slm.sealed.mixin"
    _description = "Sealed Document"

    seal_id = fields.Many2one(
        "slm.seal",
        string="Seal",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="The seal of this document's frozen figures (empty: not sealed).",
    )
    seal_hash = fields.Char(related="seal_id.hash", string="Integrity Hash")
    seal_previous_hash = fields.Char(
        related="seal_id.previous_hash", string="Previous Hash"
    )
    seal_sequence = fields.Integer(
        related="seal_id.sequence",
        string="Seal No.",
        help="Position in the chain of sealed documents of this kind.",
    )
    sealed_at = fields.Datetime(related="seal_id.sealed_at", string="Sealed On")

    # ------------------------------------------------------------------
    # Hooks
    # ------------------------------------------------------------------

    def _seal_fields(self):
        """The frozen figures hashed in the seal: field names, or
        "one2many.subfield" for the figures of the document's lines."""
        return []

    @api.model
    def _seal_state_domain(self):
        """Domain of the documents that should carry a seal (counted by the
        verification when they have none)."""
        return [("id", "=", False)]

    def _seal_state_label(self):
        """How this document is frozen, in words (e.g. its status)."""
        self.ensure_one()
        if "state" in self._fields:
            states = dict(self._fields["state"]._description_selection(self.env))
            return states.get(self.state, self.state).lower()
        return self.env._("frozen")

    # ------------------------------------------------------------------
    # CRUD: the seal fields are written by ``_seal`` only (seal rule 2)
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(SEAL_FIELDS.intersection(v) for v in vals_list):
            raise UserError(self._seal_write_error())
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su and SEAL_FIELDS.intersection(vals):
            raise UserError(self._seal_write_error())
        return super().write(vals)

    def _seal_write_error(self):
        return self.env._(
            "The seal of a document is written by the suite when the document "
            "is issued, sent, confirmed or agreed: it cannot be set or changed "
            "by hand."
        )

    # ------------------------------------------------------------------
    # Payload
    # ------------------------------------------------------------------

    @api.model
    def _seal_value(self, record, name):
        field = record._fields[name]
        value = record[name]
        if field.type == "many2one":
            return value.id or None
        if field.type in ("one2many", "many2many"):
            return sorted(value.ids)
        if field.type == "date":
            return fields.Date.to_string(value) if value else None
        if field.type == "datetime":
            return fields.Datetime.to_string(value) if value else None
        if field.type == "html":
            return str(value or "")
        if field.type in ("float", "monetary"):
            return float(value or 0.0)
        if value is False and field.type not in ("boolean",):
            return None
        return value

    def _seal_values(self):
        """The sealed figures of this document, as a flat dict: "field" for
        its own fields, "one2many.<line id>.subfield" for its lines."""
        self.ensure_one()
        record = self.sudo().with_context(active_test=False, lang="en_US")
        values = {
            "_model": self._name,
            "_id": self.id,
            "_company": record.company_id.id or None,
        }
        lines = {}
        for name in self._seal_fields():
            if "." in name:
                relation, subfield = name.split(".", 1)
                lines.setdefault(relation, []).append(subfield)
            else:
                values[name] = self._seal_value(record, name)
        for relation, subfields in lines.items():
            # The lines themselves: one added or removed is a change.
            values[relation] = sorted(record[relation].ids)
            for line in record[relation].sorted("id"):
                for subfield in subfields:
                    values[f"{relation}.{line.id}.{subfield}"] = self._seal_value(
                        line, subfield
                    )
        return values

    def _seal_payload(self):
        return self.env["slm.seal"]._dumps(self._seal_values())

    # ------------------------------------------------------------------
    # Sealing
    # ------------------------------------------------------------------

    def _seal(self):
        """Seal these documents now: each gets the next place in the chain of
        its kind and company (seal rules 1 and 3). Called by the actions that
        freeze a document, after they wrote its final figures."""
        if not self:
            return self.env["slm.seal"]
        Seal = self.env["slm.seal"].sudo()
        documents = self.sudo()
        documents.flush_recordset()
        seals = Seal.browse()
        now = fields.Datetime.now()
        by_company = {}
        for document in documents.sorted("id"):
            company = document.company_id or self.env.company
            by_company.setdefault(company, documents.browse())
            by_company[company] |= document
        for company, company_documents in by_company.items():
            head = self._seal_lock_head(company)
            previous_hash = head.hash or ""
            sequence = head.sequence or 0
            vals_list = []
            for document in company_documents:
                payload = document._seal_payload()
                sequence += 1
                seal_hash = Seal._hash(previous_hash, payload)
                vals_list.append(
                    {
                        "kind": self._name,
                        "res_id": document.id,
                        "document_name": document.display_name,
                        "company_id": company.id,
                        "sequence": sequence,
                        "payload": payload,
                        "previous_hash": previous_hash or False,
                        "hash": seal_hash,
                        "sealed_at": now,
                        "sealed_by_id": self.env.uid,
                        "is_head": False,
                    }
                )
                previous_hash = seal_hash
            vals_list[-1]["is_head"] = True
            try:
                with self.env.cr.savepoint():
                    # Moving the head updates the previous seal: a concurrent
                    # seal of the same chain waits for it, then fails with a
                    # serialization error and is retried (seal rule 3).
                    head.write({"is_head": False})
                    new_seals = Seal.create(vals_list)
                    Seal.flush_model()
            except errors.UniqueViolation as error:
                # The first seal of a chain, taken at the same time by another
                # transaction: let the server retry this one.
                raise errors.SerializationFailure(str(error)) from error
            for document, seal in zip(company_documents, new_seals, strict=True):
                document.write({"seal_id": seal.id})
            seals |= new_seals
        return seals

    def _seal_lock_head(self, company):
        """The last seal of this kind in ``company``, locked."""
        Seal = self.env["slm.seal"].sudo()
        Seal.flush_model()
        self.env.cr.execute(
            SQL(
                "SELECT id FROM slm_seal WHERE kind = %s AND company_id = %s "
                "ORDER BY sequence DESC LIMIT 1 FOR UPDATE",
                self._name,
                company.id,
            )
        )
        row = self.env.cr.fetchone()
        return Seal.browse(row[0] if row else ())

    def _seal_release(self):
        """These documents leave their sealed state through a logged action
        (e.g. a supplier month reset): their seals stay in the chain, and the
        next confirmation seals them again (seal rule 1)."""
        self.sudo().write({"seal_id": False})

    # ------------------------------------------------------------------
    # Verification
    # ------------------------------------------------------------------

    def _seal_differences(self, payload):
        """Labels of the sealed figures that differ from ``payload``.

        Only the figures in ``payload`` are compared: a figure that a module
        installed later adds to ``_seal_fields`` was not sealed then.
        """
        self.ensure_one()
        sealed = json.loads(payload)
        current = self._seal_values()
        labels = []
        for key in sorted(sealed):
            if sealed[key] == current.get(key, "<missing>"):
                continue
            parts = key.split(".")
            if len(parts) == 3:
                relation, line_id, subfield = parts
                comodel = self.env[self._fields[relation].comodel_name]
                label = (
                    comodel._fields[subfield].string
                    if subfield in (comodel._fields)
                    else subfield
                )
                labels.append(
                    self.env._("%(field)s of line %(line)s", field=label, line=line_id)
                )
            elif key in self._fields:
                field = self._fields[key]
                if field.type == "one2many":
                    labels.append(
                        self.env._(
                            "%(lines)s (lines added or removed)", lines=field.string
                        )
                    )
                else:
                    labels.append(field.string)
            else:
                labels.append(key)
        return labels
