# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from datetime import datetime, timedelta

import freezegun
import pytz

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import SixsCase


@tagged("post_install", "-at_install")
class TestPublication(SixsCase):
    """V14 §10 #25: the weekly results are published on Saturday morning, after the
    quality director signs."""

    @classmethod
    def setUpClass(cls):
        # The week is the users' week, while the audits are dated on the machine's day: on a Sunday late in
        # the UTC evening they fall in two weeks. The class runs on a fixed Wednesday (CTRL_TEST_TODAY, when
        # set, still decides).
        cls.startClassPatcher(freezegun.freeze_time("2027-03-10 09:00:00", tick=True))
        super().setUpClass()
        cls.director = new_test_user(cls.env, "sixs_quality_dir", groups="ctrl_sixs.group_sixs_quality_director",
                                     company_id=cls.company.id, company_ids=[Command.set(cls.company.ids)])
        cls.Ranking = cls.env["ctrl.sixs.ranking"]
        cls.Publication = cls.env["ctrl.sixs.publication"]
        cls.week = cls.today - timedelta(days=cls.today.weekday())

    def publication(self):
        return self.Publication.search([("company_id", "=", self.company.id), ("period_start", "=", self.week)])

    def week_rows(self, user=None):
        Ranking = self.Ranking.with_user(user) if user else self.Ranking
        return Ranking.search([("company_id", "=", self.company.id), ("period_type", "=", "week"),
                               ("period_start", "=", self.week)])

    def test_cron_scheduled_on_saturday_morning(self):
        cron = self.env.ref("ctrl_sixs.ir_cron_weekly_rankings")
        self.Publication._ctrl_sixs_schedule_saturday()  # as on install/update, on the test's day
        self.assertEqual((cron.interval_number, cron.interval_type), (1, "weeks"))
        local = pytz.UTC.localize(cron.nextcall).astimezone(pytz.timezone(cron.user_id.tz or "UTC"))
        self.assertEqual((local.weekday(), local.hour, local.minute), (5, 8, 0))
        self.assertGreater(cron.nextcall, fields.Datetime.now())
        nxt = self.Publication._ctrl_sixs_next_saturday
        self.assertEqual(nxt(datetime(2026, 12, 4, 12, 0), "UTC"), datetime(2026, 12, 5, 8, 0), "Friday → Saturday")
        self.assertEqual(nxt(datetime(2026, 12, 5, 8, 0), "UTC"), datetime(2026, 12, 12, 8, 0), "after the run")
        self.assertEqual(nxt(datetime(2026, 12, 4, 23, 30), "Asia/Shanghai"), datetime(2026, 12, 5, 0, 0),
                         "07:30 on Saturday in Shanghai: 08:00 the same morning, 00:00 UTC")

    def test_unsigned_week_is_not_published(self):
        self.audit(self.zone1, findings=[(self.item1, self.worker_a, 2, 2)])
        self.Ranking._cron_rankings()
        publication = self.publication()
        self.assertEqual(publication.state, "computed")
        rows = self.week_rows()
        self.assertTrue(rows)
        self.assertEqual(rows.publication_id, publication)
        self.assertEqual(publication.activity_ids.user_id, self.director, "the signer is asked to sign")
        user = self.worker_a.user_id
        self.assertFalse(self.week_rows(user), "users see a week's rankings once published")
        self.assertTrue(self.Ranking.with_user(user).search([("period_type", "=", "month"),
                                                            ("company_id", "=", self.company.id)]))
        self.assertFalse(self.Publication.with_user(user).search([]))
        # Idempotent: a second run neither publishes nor asks twice.
        self.Ranking._cron_rankings()
        self.assertEqual(self.publication(), publication)
        self.assertEqual(publication.state, "computed")
        self.assertEqual(len(publication.activity_ids), 1)
        self.assertEqual(len(self.week_rows()), len(rows))

    def test_signed_week_published_by_the_saturday_run(self):
        self.audit(self.zone1, findings=[(self.item1, self.worker_a, 2, 2)])
        self.Ranking._cron_rankings()
        publication = self.publication()
        with self.assertRaisesRegex(AccessError, "Only the 6S quality director signs"):
            publication.with_user(self.manager).action_sign()
        publication.with_user(self.director).action_sign()
        self.assertEqual(publication.signed_by_id, self.director)
        self.assertFalse(publication.activity_ids)
        past_saturday = publication.with_user(self.director)._publish_moment() <= fields.Datetime.now()
        self.assertEqual(publication.state, "published" if past_saturday else "signed",
                         "signed after Saturday 08:00: published at once; before: by the Saturday run")
        rows = self.week_rows()
        self.Ranking._cron_rankings()
        self.assertEqual(publication.state, "published")
        self.assertEqual(self.week_rows(), rows, "the signed figures are published, not computed again")
        self.assertEqual(self.week_rows(self.worker_a.user_id), rows)
        self.Ranking._cron_rankings()
        self.assertEqual((publication.state, self.week_rows()), ("published", rows))
        with self.assertRaisesRegex(UserError, "published on .*: they are final"):
            self.Ranking._compute_rankings(self.week, self.week + timedelta(days=6), "week", self.company)
        with self.assertRaisesRegex(UserError, "already published"):
            publication.with_user(self.director).action_sign()

    def test_recomputing_a_signed_week_needs_a_new_signature(self):
        self.audit(self.zone1, findings=[(self.item1, self.worker_a, 2, 2)])
        Ranking = self.Ranking.with_user(self.manager)
        Ranking._compute_rankings(self.week, self.week + timedelta(days=6), "week", self.company)
        publication = self.publication()
        publication.sudo().write({"state": "signed", "signed_by_id": self.director.id})
        Ranking._compute_rankings(self.week, self.week + timedelta(days=6), "week", self.company)
        self.assertEqual((publication.state, publication.signed_by_id.id), ("computed", False))

    def test_nothing_to_sign(self):
        publication = self.Publication._ctrl_sixs_for_week(self.week - timedelta(days=7), self.company)
        with self.assertRaisesRegex(UserError, "has no rankings: compute them before signing"):
            publication.with_user(self.director).action_sign()
        other = self.env["res.company"].create({"name": "Other publication Co"})
        foreign = self.Publication._ctrl_sixs_for_week(self.week, other)
        self.assertNotIn(foreign, self.Publication.with_user(self.manager).search([]))
