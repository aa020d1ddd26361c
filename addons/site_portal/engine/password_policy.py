"""Password rules of the sites a person belongs to.

A person of several sites keeps the strictest rule of each kind; a rule of 0 is no
rule. Expiration is the shortest period any of the sites sets.
"""

from dataclasses import dataclass, fields

# Characters that count as symbols: anything but letters, digits and spaces; the
# underscore too (as OCA's password_security counts it).
SPECIAL = "special"
LOWER = "lower"
UPPER = "upper"
DIGIT = "numeric"
LENGTH = "minlength"


@dataclass(frozen=True)
class Policy:
    minlength: int = 0
    lower: int = 0
    upper: int = 0
    numeric: int = 0
    special: int = 0
    history: int = 0  # how many former passwords may not come back; negative: all
    expiration_days: int = 0  # 0: passwords do not expire

    @property
    def is_lenient(self):
        return self == Policy()


def strictest(policies):
    """One policy that satisfies every one of ``policies``."""
    policies = list(policies)
    if not policies:
        return Policy()
    values = {}
    for field in fields(Policy):
        chosen = [getattr(policy, field.name) for policy in policies]
        if field.name == "expiration_days":
            positive = [days for days in chosen if days > 0]
            values[field.name] = min(positive) if positive else 0
        elif field.name == "history":
            values[field.name] = -1 if any(count < 0 for count in chosen) else max(chosen)
        else:
            values[field.name] = max(chosen)
    return Policy(**values)


def counts(password):
    """How many characters of each kind ``password`` has."""
    return {
        LENGTH: len(password),
        LOWER: sum(char.islower() for char in password),
        UPPER: sum(char.isupper() for char in password),
        DIGIT: sum(char.isdigit() for char in password),
        SPECIAL: sum(not char.isalnum() and not char.isspace() for char in password),
    }


def unmet(password, policy):
    """[(rule, required count)] of ``policy``'s rules ``password`` breaks, in the order
    people read them: length first."""
    have = counts(password or "")
    return [
        (rule, getattr(policy, rule))
        for rule in (LENGTH, LOWER, UPPER, DIGIT, SPECIAL)
        if have[rule] < getattr(policy, rule)
    ]
