"""Credit-bureau reporting: the monthly Metro 2 furnishing run, its validator and the paid/settled list.

``format`` is the pure 426-byte character layout; ``validate`` checks a file without a database;
``selectors`` read what may be reported; ``services`` write a run (every account through the gate).
"""
