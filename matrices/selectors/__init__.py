"""Reads that need permission scoping, assembling or prefetching, one module per subject.

Pages never walk relations lazily: a selector loads each table once and
builds plain dataclasses that templates iterate over, so a page costs the
same number of SQL queries for a 15-row matrix as for a 200-row one. Which
state of a matrix a caller may see (a version or the draft) is decided in
one place, ``matrices.selectors.editions``.
"""
