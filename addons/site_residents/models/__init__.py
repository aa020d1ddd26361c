from . import res_company
from . import site_building
from . import site_unit_type
from . import site_unit
from . import site_unit_relation
from . import site_unit_persons
from . import res_partner
from . import site_person_details
