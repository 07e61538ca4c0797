"""Plans and the reports over them: plan models, the capability report, My team and My skills.

The pure functions (``capability``, ``team``, ``learning``, ``suppression``, ``charts``, ``figures``,
``pdf``) read no request and no database; ``selectors`` turns querysets into their inputs, and the
views, exports, the PDF pack and ``bench_reports`` all call the same functions. See README.md.
"""
