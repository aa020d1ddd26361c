from . import site_legal_notice_batch
from . import site_legal_notice
