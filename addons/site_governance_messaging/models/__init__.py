from . import site_assembly, site_assembly_notice
