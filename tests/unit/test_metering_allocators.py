from decimal import Decimal

import pytest
from conftest import load_engine

allocators = load_engine("site_metering", "allocators")
D = Decimal


def test_uniform_scale_applies_the_factors():
    # 120 units · KQ 1.5 · KC 0.8 = 144
    assert allocators.consumption_value(D(120), D("1.5"), D("0.8")) == D("144.00")
    # with KT 0.9: 144 · 0.9 = 129.6
    assert allocators.consumption_value(120, "1.5", "0.8", kt="0.9") == D("129.600")


def test_product_scale_uses_readings_as_they_are():
    assert allocators.consumption_value(D(144), D("1.5"), D("0.8"), scale="product") == D(144)
    # Only a low room-temperature factor KT is still applied.
    value = allocators.consumption_value(D(144), D("1.5"), D("0.8"), kt=D("0.9"), scale="product")
    assert value == D("129.6")


def test_bad_factors_and_scale():
    with pytest.raises(allocators.AllocatorError, match="KQ"):
        allocators.consumption_value(D(1), D(0), D(1))
    with pytest.raises(allocators.AllocatorError, match="KC"):
        allocators.consumption_value(D(1), D(1), D(-1))
    with pytest.raises(allocators.AllocatorError, match="negative"):
        allocators.consumption_value(D(-1), D(1), D(1))
    with pytest.raises(allocators.AllocatorError, match="scale"):
        allocators.consumption_value(D(1), D(1), D(1), scale="other")


def test_unit_consumption_sums_its_radiators():
    radiators = [
        {"display_units": D(100), "kq": D("1.2"), "kc": D("0.9")},  # 108
        {"display_units": D(50), "kq": D("2"), "kc": D("1"), "kt": D("0.5")},  # 50
        {"display_units": D(30), "kq": D("9"), "kc": D("9"), "scale": "product"},  # 30
    ]
    assert allocators.unit_consumption(radiators) == D(188)


def test_heat_meter_energy():
    # E = 2.5 m³ · 20 K · 1.163 kWh/(m³·K) = 58.15 kWh
    assert allocators.heat_meter_energy(D("2.5"), D(20), D("1.163")) == D("58.150")
