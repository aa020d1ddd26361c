"""Paid services: when the charge of an accepted quote falls due."""

from datetime import timedelta

from odoo.addons.site_residents.engine.dates import day_of_month, month_start


def due_date(accepted_on, due_day):
    """The site's next charge due day on or after ``accepted_on``: this month's if it
    has not passed yet, else next month's (a service accepted on the 12th of a site
    charging on the 10th falls due on the 10th of the next month)."""
    this_month = day_of_month(month_start(accepted_on), due_day)
    if this_month >= accepted_on:
        return this_month
    next_month = month_start(month_start(accepted_on) + timedelta(days=32))
    return day_of_month(next_month, due_day)
