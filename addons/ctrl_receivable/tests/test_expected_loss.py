# Copyright 2026 ctrl contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl).
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import CtrlReceivableCase


@tagged("post_install", "-at_install")
class TestExpectedLoss(CtrlReceivableCase):
    """Roll rates over two yearly windows ending 2024-12-31:
    2023-12-31 -> 2024-12-31 and 2022-12-31 -> 2023-12-31."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls._configure_provisioning()
        cls.company.write({"ctrl_recv_expected_loss": True, "ctrl_recv_expected_loss_years": 2})
        # Under 1 year at 2023-12-31, 400 of it still open a year later.
        inv_a = cls._invoice(1000.0, "2023-06-30")
        cls._pay(inv_a, 600.0, "2024-03-01")
        # Under 1 year at 2022-12-31, paid in full before 2023-12-31: nothing rolls.
        inv_b = cls._invoice(1000.0, "2022-06-30")
        cls._pay(inv_b, 1000.0, "2023-05-01")
        # 1-2 years at 2022-12-31 (all of it rolls), 2-3 years at 2023-12-31 (400 of 500 rolls).
        inv_c = cls._invoice(500.0, "2021-06-30")
        cls._pay(inv_c, 100.0, "2024-06-01")

    def _rows(self):
        rows = self.env["ctrl.expected.loss"]._matrix(self.company, self.provision, "2024-12-31")
        return {row["name"]: row for row in rows}

    def test_roll_rates_and_loss_chain(self):
        rows = self._rows()
        self.assertAlmostEqual(rows["Under 1 year"]["roll"], 20.0)  # (400 + 0) / (1000 + 1000)
        self.assertAlmostEqual(rows["1-2 years"]["roll"], 100.0)  # 500 / 500
        self.assertAlmostEqual(rows["2-3 years"]["roll"], 80.0)  # 400 / 500
        self.assertIsNone(rows["3-4 years"]["roll"], "no history in 3-4 years")
        self.assertIsNone(rows["3-4 years"]["loss"])
        self.assertEqual(rows["5 years or more"]["loss"], 100.0)
        # The chain takes the configured 30% where the history is silent (3-4 years).
        self.assertAlmostEqual(rows["2-3 years"]["loss"], 24.0)
        self.assertAlmostEqual(rows["1-2 years"]["loss"], 24.0)
        self.assertAlmostEqual(rows["Under 1 year"]["loss"], 4.8)

    def test_run_shows_and_adopts_the_matrix(self):
        run = self.env["ctrl.provision.run"].with_user(self.recv_manager)._prepare(self.company, "2024-12-31")
        self.assertIn("4.8%", run.expected_loss_html)
        # Configured rates: 400 open of inv_a at 1-2 years (10%), 400 of inv_c at 3-4 years (30%).
        self.assertAlmostEqual(run.required_amount, 160.0)

    def test_adopt_is_for_managers_and_recomputes(self):
        run = self.env["ctrl.provision.run"].with_user(self.recv_manager)._prepare(self.company, "2024-12-31")
        run.with_user(self.recv_manager).action_adopt_expected_loss()
        rates = {b.name: b.rate for b in self.provision.bucket_ids}
        self.assertEqual(rates["Under 1 year"], 4.8)
        self.assertEqual(rates["2-3 years"], 24.0)
        self.assertEqual(rates["3-4 years"], 30.0, "no history: the configured rate stays")
        self.assertIn("expected-loss matrix", self.provision.message_ids[0].body)
        run.invalidate_recordset()
        self.assertAlmostEqual(run.required_amount, 216.0)  # 400 x 24% + 400 x 30%

    def test_off_by_default_and_history_must_be_positive(self):
        self.company.ctrl_recv_expected_loss = False
        run = self.env["ctrl.provision.run"].with_user(self.recv_manager)._prepare(self.company, "2024-12-31")
        self.assertFalse(run.expected_loss_html)
        with self.assertRaisesRegex(UserError, "expected-loss"):
            run.with_user(self.recv_manager).action_adopt_expected_loss()
        with self.assertRaisesRegex(ValidationError, "at least 1 year"):
            self.company.ctrl_recv_expected_loss_years = 0
