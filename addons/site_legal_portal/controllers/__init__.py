from . import legal
