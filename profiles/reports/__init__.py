"""Reports over the evidence log: pure functions, DataFrames and specs in, DataFrames and Figures out.

Nothing here reads a request. ``profiles.plan_selectors`` turns querysets into the inputs, the
views, exports, the PDF pack and ``bench_reports`` all call the same functions. See README.md.
"""
