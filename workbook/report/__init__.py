"""Report assembly and the batch runner (``workbook report``)."""
