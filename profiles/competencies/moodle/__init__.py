"""Competency frameworks to and from Moodle's CSV format (admin tool ``lpimportcsv``): the pure reading,
checking and writing (``csv_format``), the import and export services (``services``) and their admin
pages (``views``)."""
