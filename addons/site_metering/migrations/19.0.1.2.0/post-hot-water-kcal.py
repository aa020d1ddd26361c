def migrate(cr, version):
    """The Turkish hot-water formula now takes V in litres and Hu in kcal (DOMAIN.md §1).

    Before, V counted in m³, so a heating value that gave the right fuel was a thousandth
    of the kcal figure. Multiplying the stored values by 1,000 keeps every existing
    allocation's fuel and cost the same when it is computed again: nothing changes silently.
    """
    cr.execute(
        "UPDATE site_cost_allocation_part SET hw_heating_value = hw_heating_value * 1000 "
        "WHERE hw_heating_value IS NOT NULL AND hw_heating_value != 0"
    )
