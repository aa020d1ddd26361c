from conftest import load_engine

routing = load_engine("site_helpdesk", "routing")
Route = routing.Route

FAULT, COMPLAINT, SERVICE = 1, 2, 3
BLOCK_A, BLOCK_B = 10, 20

TECHNICAL = Route(100, 10, frozenset({FAULT, SERVICE}))
MANAGEMENT = Route(200, 20, frozenset({COMPLAINT}))
CARETAKER_B = Route(300, 5, frozenset(), frozenset({BLOCK_B}))
FAULTS_B = Route(400, 30, frozenset({FAULT}), frozenset({BLOCK_B}))
EVERYTHING = Route(500, 99)
ROUTES = [TECHNICAL, MANAGEMENT, CARETAKER_B, FAULTS_B, EVERYTHING]


def test_category_and_building_beat_category_alone():
    assert routing.pick_team(ROUTES, FAULT, BLOCK_B) == FAULTS_B.team_id
    assert routing.pick_team(ROUTES, FAULT, BLOCK_A) == TECHNICAL.team_id


def test_category_beats_building():
    assert routing.pick_team(ROUTES, COMPLAINT, BLOCK_B) == MANAGEMENT.team_id


def test_building_beats_a_team_for_everything():
    assert routing.pick_team(ROUTES, None, BLOCK_B) == CARETAKER_B.team_id
    assert routing.pick_team(ROUTES, 99, BLOCK_B) == CARETAKER_B.team_id


def test_a_ticket_without_building_goes_to_teams_of_all_buildings():
    assert routing.pick_team(ROUTES, FAULT, None) == TECHNICAL.team_id
    assert routing.pick_team(ROUTES, None, None) == EVERYTHING.team_id


def test_equally_specific_teams_in_their_order():
    first = Route(7, 1, frozenset({FAULT}))
    second = Route(3, 2, frozenset({FAULT}))
    assert routing.pick_team([second, first], FAULT, BLOCK_A) == 7
    same_sequence = Route(2, 1, frozenset({FAULT}))
    assert routing.pick_team([first, same_sequence], FAULT, BLOCK_A) == 2


def test_no_team_takes_it():
    assert routing.pick_team([TECHNICAL, MANAGEMENT], 99, BLOCK_A) is None
    assert routing.pick_team([], FAULT, BLOCK_A) is None
