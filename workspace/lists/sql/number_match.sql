-- reads: core.person_links
-- builds: nothing (a condition of list_sql: the person an AGDREF, OFPRA or committal
-- number names)
(num_agdref = $number
 OR person_key = $number
 OR person_key IN (
     SELECT person_key FROM core.person_links
     WHERE record_key = 'telemofpra:' || $number
        OR (record_key LIKE 'genesis:%' AND suffix(record_key, ':' || $number))))
