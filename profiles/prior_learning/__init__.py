"""Learning done elsewhere, counted as reviewed evidence: an employee's claim (a course on OCSC's
Learning Space, a vendor certificate) that their manager or HR accepts or rejects, and HR's import of
an outside platform's completions. Both record "recognised prior learning" evidence through
``profiles.competencies.services.evidence_record``."""
