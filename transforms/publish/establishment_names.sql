-- reads: staging.detainees
-- builds: nothing (a query: the rows it returns)
-- Each prison's name as the latest GENESIS list naming it writes it (exports: the label
-- column of `Établissement`).
SELECT establishment_code,
       arg_max(establishment_name, extraction_date) AS establishment_name
FROM staging.detainees
WHERE nullif(trim(establishment_name), '') IS NOT NULL
GROUP BY establishment_code
