"""HR data in and out: the HR-system import, personal-data downloads, anonymisation, audit, safe exports."""
