# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.tools import SQL


class CtrlExpectedLoss(models.AbstractModel):
    """Loss rates per provisioning bucket from the company's own history
    (IFRS 9 / CAS 22 simplified approach, roll rates).

    The roll rate of a bucket is the share of the amount open in it at a
    past snapshot that is still open one bucket width later, i.e. that rolled
    into the next bucket. It is measured line by line, over one window per
    history year, and weighted by amount. The last bucket loses 100%; each
    earlier bucket's expected-loss rate is its roll rate times the next
    bucket's loss rate (its configured rate where the history has none).
    """

    _name = "ctrl.expected.loss"
    _description = "Expected-loss matrix"

    @api.model
    def _bucket_width(self, bucket):
        """Number of scheme units an item stays in ``bucket``."""
        return bucket.age_to + 1 if bucket.no_lower else bucket.age_to - bucket.age_from + 1

    @api.model
    def _rolled(self, company, scheme, buckets, start, end):
        """{bucket_id: (open at start, still open at end)} of ``buckets`` at ``start``."""
        engine = self.env["ctrl.aging.engine"]
        self.env.cr.execute(SQL(
            """WITH before AS (%(before)s), after AS (%(after)s)
               SELECT before.bucket_id, SUM(before.amount),
                      SUM(LEAST(before.amount, GREATEST(COALESCE(after.amount, 0.0), 0.0)))
                 FROM before LEFT JOIN after ON after.line_id = before.line_id
                WHERE before.amount > 0 AND before.bucket_id = ANY(%(buckets)s)
                GROUP BY before.bucket_id""",
            before=engine._open_items_sql(start, company, scheme),
            after=engine._open_items_sql(end, company, scheme),
            buckets=buckets.ids,
        ))
        return {bucket_id: (base, rolled) for bucket_id, base, rolled in self.env.cr.fetchall()}

    @api.model
    def _matrix(self, company, scheme, date, years=None):
        """[{bucket_id, name, rate, base, roll, loss}] in bucket order; roll and
        loss in percent, None where the history has no amount to measure."""
        date = fields.Date.to_date(date)
        years = years or company.ctrl_recv_expected_loss_years
        self.env["ctrl.aging.engine"]._flush()
        buckets = scheme._ordered_buckets()
        totals = {bucket.id: [0.0, 0.0] for bucket in buckets}
        widths = {}
        for bucket in buckets[:-1]:
            widths.setdefault(self._bucket_width(bucket), self.env["ctrl.aging.bucket"])
            widths[self._bucket_width(bucket)] |= bucket
        for width, width_buckets in widths.items():
            for year in range(years):
                end = date - relativedelta(years=year)
                for bucket_id, (base, rolled) in self._rolled(
                        company, scheme, width_buckets, end - scheme._unit_delta(width), end).items():
                    totals[bucket_id][0] += base
                    totals[bucket_id][1] += rolled
        rows, next_loss = [], None
        for bucket in reversed(buckets):
            base, rolled = totals[bucket.id]
            if next_loss is None:  # the last bucket
                roll, loss = None, 100.0
            else:
                roll = 100.0 * rolled / base if base > 0 else None
                loss = None if roll is None else roll * next_loss / 100.0
            rows.append({"bucket_id": bucket.id, "name": bucket.name, "rate": bucket.rate, "base": base,
                         "roll": roll, "loss": loss})
            # Where the history is silent, the configured rate stands in for the chain.
            next_loss = bucket.rate if loss is None else loss
        return rows[::-1]
