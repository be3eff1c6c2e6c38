# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Clean-up of tests that commit sealed documents (seal rules of the usage
readme)."""


def forget_seals(cr, model, res_ids):
    """Delete the seals of these committed test documents, before the
    documents themselves are deleted in SQL, and make the last remaining seal
    of each chain its head again: the chains of the database stay as if the
    test had never run (Verify Integrity would otherwise report the deleted
    documents)."""
    cr.execute(
        "DELETE FROM slm_seal WHERE kind = %s AND res_id = ANY(%s) "
        "RETURNING company_id",
        [model, list(res_ids)],
    )
    for company_id in {row[0] for row in cr.fetchall()}:
        cr.execute(
            "UPDATE slm_seal SET is_head = (id = ("
            "  SELECT id FROM slm_seal WHERE kind = %s AND company_id = %s"
            "  ORDER BY sequence DESC LIMIT 1"
            ")) WHERE kind = %s AND company_id = %s",
            [model, company_id, model, company_id],
        )
