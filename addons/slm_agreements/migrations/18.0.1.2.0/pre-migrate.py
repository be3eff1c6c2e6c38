# Copyright 2026 SLM Suite contributors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Period rule: the agreements' time zone and the clocks' stored period keys.

Filled here in SQL, before the module's fields are set up, so that the ORM
finds the columns and does not recompute them clock by clock: the agreement's
time zone is its customer's, else its company's, else UTC (a zone PostgreSQL
does not know falls back to UTC); a settled clock's period is the local day
and month of its settlement (``settled_date``) in that zone; a breach's, its
clock's, and the month of its excuse decision in that zone.
"""


def migrate(cr, version):
    if not version:
        return
    cr.execute("ALTER TABLE slm_agreement ADD COLUMN IF NOT EXISTS tz varchar")
    cr.execute(
        """
        UPDATE slm_agreement agreement
           SET tz = CASE WHEN company_partner.tz IN (
                             SELECT name FROM pg_timezone_names)
                         THEN company_partner.tz ELSE 'UTC' END
          FROM res_company company
          JOIN res_partner company_partner
            ON company_partner.id = company.partner_id
         WHERE company.id = agreement.company_id
           AND agreement.tz IS NULL
        """
    )
    cr.execute(
        """
        UPDATE slm_agreement agreement
           SET tz = customer.tz
          FROM res_partner customer
         WHERE customer.id = agreement.partner_id
           AND customer.tz IN (SELECT name FROM pg_timezone_names)
        """
    )
    cr.execute(
        """
        ALTER TABLE slm_clock ADD COLUMN IF NOT EXISTS period_day date;
        ALTER TABLE slm_clock ADD COLUMN IF NOT EXISTS period_date date;
        """
    )
    cr.execute(
        """
        UPDATE slm_clock clock
           SET period_day = (clock.settled_date AT TIME ZONE 'UTC'
                                 AT TIME ZONE agreement.tz)::date,
               period_date = date_trunc(
                   'month',
                   clock.settled_date AT TIME ZONE 'UTC' AT TIME ZONE agreement.tz
               )::date
          FROM slm_agreement agreement
         WHERE agreement.id = clock.agreement_id
           AND clock.status IN ('met', 'breached')
           AND clock.settled_date IS NOT NULL
        """
    )
    # Breaches: the month of their clock, and of their excuse decision.
    cr.execute(
        """
        ALTER TABLE slm_breach ADD COLUMN IF NOT EXISTS period_date date;
        ALTER TABLE slm_breach ADD COLUMN IF NOT EXISTS excuse_period_date date;
        """
    )
    cr.execute(
        """
        UPDATE slm_breach breach
           SET period_date = clock.period_date
          FROM slm_clock clock
         WHERE clock.id = breach.clock_id
        """
    )
    cr.execute(
        """
        UPDATE slm_breach breach
           SET excuse_period_date = date_trunc(
                   'month',
                   breach.excuse_decision_date AT TIME ZONE 'UTC'
                       AT TIME ZONE agreement.tz
               )::date
          FROM slm_agreement agreement
         WHERE agreement.id = breach.agreement_id
           AND breach.excuse_decision_date IS NOT NULL
        """
    )
