"""Stage 5 of the night, publish: the lists, the exclusions, the legal alerts and the flag
history (lists) and the marts (marts), written in the night's transaction; the
per-department CSV and XLSX exports (export, workbook); and the swap that makes a night's
warehouse and exports the published ones (publication)."""
