from conftest import load_engine

password_policy = load_engine("site_portal", "password_policy")
Policy = password_policy.Policy


def test_no_site_no_rule():
    assert password_policy.strictest([]).is_lenient
    assert password_policy.unmet("a", Policy()) == []


def test_strictest_of_each_kind():
    first = Policy(minlength=10, upper=1, history=5, expiration_days=365)
    second = Policy(minlength=8, special=2, history=-1, expiration_days=90)
    third = Policy()
    assert password_policy.strictest([first, second, third]) == Policy(
        minlength=10, upper=1, special=2, history=-1, expiration_days=90
    )


def test_expiration_zero_means_never():
    assert password_policy.strictest([Policy(), Policy(expiration_days=0)]).expiration_days == 0
    assert password_policy.strictest([Policy(expiration_days=30), Policy()]).expiration_days == 30


def test_unmet_rules_in_reading_order():
    policy = Policy(minlength=12, lower=1, upper=1, numeric=1, special=1)
    assert password_policy.unmet("short", policy) == [
        ("minlength", 12),
        ("upper", 1),
        ("numeric", 1),
        ("special", 1),
    ]
    assert password_policy.unmet("Słoneczna-12!", policy) == []


def test_letters_of_every_alphabet_count():
    policy = Policy(lower=2, upper=1)
    assert password_policy.unmet("Şş", policy) == [("lower", 2)]
    assert password_policy.unmet("Żółw", policy) == []
    assert password_policy.unmet("Затишок", policy) == []


def test_spaces_are_not_symbols_underscores_are():
    policy = Policy(special=1)
    assert password_policy.unmet("a b c", policy) == [("special", 1)]
    assert password_policy.unmet("a_b", policy) == []
