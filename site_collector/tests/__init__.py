# A package, so that this conftest and these helpers never shadow the repository's tests/.
