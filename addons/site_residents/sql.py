from odoo.tools import SQL


def id_array(ids):
    """``ids`` as one PostgreSQL array literal (``= ANY(...)``, ``unnest(...)``): a list
    parameter of 50,000 ids is sent as as many expressions, which PostgreSQL parses and
    estimates one by one for longer than the query takes."""
    return SQL("%s::int[]", "{" + ",".join(str(int(id_)) for id_ in ids) + "}")


def date_array(days):
    """``days`` (dates) as one PostgreSQL array literal, for the reason of id_array."""
    return SQL("%s::date[]", "{" + ",".join(day.isoformat() for day in days) + "}")
