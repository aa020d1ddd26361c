from decimal import Decimal

from conftest import load_engine

recovery = load_engine("site_legal", "recovery")
D = Decimal


def test_figures_of_a_case():
    case = recovery.figures(D("2000"), D("300"), D("800"), D("0"))
    assert case.collected == D("1500")
    assert case.rate == D("65.22")


def test_written_off_is_not_collected_and_nothing_handed_over_is_zero_rate():
    case = recovery.figures(D("1000"), D("0"), D("0"), D("400"))
    assert (case.collected, case.rate) == (D("600"), D("60.00"))
    assert recovery.figures(0, 0, 0, 0).rate == D("0.00")


def test_summary_weights_rates_by_debt():
    small = recovery.figures(D("100"), 0, 0, 0)  # 100 %
    large = recovery.figures(D("900"), 0, D("900"), 0)  # 0 %
    other = recovery.figures(D("50"), 0, D("25"), 0)
    result = recovery.summary([("Arslan", small), ("Arslan", large), ("Kaya", other)])
    assert list(result) == ["Arslan", "Kaya"]
    assert result["Arslan"].rate == D("10.00")  # 100 / 1000, not the average 50 %
    assert result["Arslan"].handed_over == D("1000")
    assert result["Kaya"].collected == D("25")
