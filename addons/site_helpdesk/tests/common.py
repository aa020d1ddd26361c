from odoo import Command

from odoo.addons.site_residents.tests.common import site_user


def calendar_24_7(env):
    """Working hours round the clock: a deadline of N hours falls N hours later."""
    return env["resource.calendar"].create(
        {
            "name": "Helpdesk 24/7",
            "attendance_ids": [
                Command.create(
                    {"name": str(day), "dayofweek": str(day), "hour_from": 0, "hour_to": 24}
                )
                for day in range(7)
            ],
        }
    )


def categories(env):
    """{kind: the suite's category of that kind}."""
    return {
        kind: env.ref(f"site_helpdesk.category_{kind}")
        for kind in ("fault", "complaint", "request", "suggestion", "paid_service")
    }


class HelpdeskSetup:
    """Teams of a site on a 24/7 calendar, with deadlines: a helpdesk taking
    everything, a technical team for faults and paid services, and (``building``) a
    caretaker for that building's faults; staff of each."""

    @classmethod
    def setup_helpdesk(cls, site, building=None, prefix="a"):
        env = cls.env
        cls.kinds = categories(env)
        Team = env["helpdesk.ticket.team"]
        technician = site_user(
            env,
            f"hd_tech_{prefix}",
            "site_residents.group_site_engineer",
            site,
            name="Tech " + prefix,
        )
        manager = site_user(env, f"hd_manager_{prefix}", "site_residents.group_site_manager", site)
        common = {
            "company_id": site.id,
            "use_sla": True,
            "resource_calendar_id": calendar_24_7(env).id,
        }
        teams = {
            "helpdesk": Team.create(
                dict(
                    common,
                    name=f"Helpdesk {prefix}",
                    sequence=30,
                    user_ids=[Command.set(manager.ids)],
                )
            ),
            "technical": Team.create(
                dict(
                    common,
                    name=f"Technical {prefix}",
                    sequence=10,
                    category_ids=[
                        Command.set((cls.kinds["fault"] | cls.kinds["paid_service"]).ids)
                    ],
                    user_ids=[Command.set(technician.ids)],
                )
            ),
        }
        if building:
            teams["caretaker"] = Team.create(
                dict(
                    common,
                    name=f"Caretaker {prefix}",
                    sequence=20,
                    category_ids=[Command.set(cls.kinds["fault"].ids)],
                    building_ids=[Command.set(building.ids)],
                    user_ids=[Command.set(technician.ids)],
                )
            )
        return teams, technician, manager

    @classmethod
    def ticket(cls, unit, kind, partner=None, **values):
        return cls.env["helpdesk.ticket"].create(
            dict(
                {
                    "name": f"{kind} in {unit.code}",
                    "description": "What happened",
                    "site_unit_id": unit.id,
                    "category_id": cls.kinds[kind].id,
                    "partner_id": partner.id if partner else False,
                    "user_id": False,
                },
                **values,
            )
        )
