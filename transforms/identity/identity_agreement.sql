-- reads: nothing
-- builds: nothing (macros only: identities_agree, number_agrees, identity_conflict,
--         weak_birth_date, candidate_evidence and their parts)
-- Identity agreement between a source record and an AGDREF file (docs/contracts.md §2).
-- Agreement is a deterministic test on ASCII names (tolerant to transliteration and to
-- surname / given name swaps), birth date parts (a 01/01 placeholder and unknown parts
-- are no evidence either way; day and month swapped agree), sex and nationality (a known
-- difference disagrees).
CREATE OR REPLACE TEMP MACRO compact_name(s) AS regexp_replace(coalesce(s, ''), '[^A-Z]', '', 'g');
CREATE OR REPLACE TEMP MACRO name_tokens(s) AS
    list_filter(string_split_regex(coalesce(s, ''), '[^A-Z]+'), lambda t: t <> '');
-- Each name as names_agree compares it, letters only (compact) and its words (tokens):
-- computed once per record and per file (agdref_identities, screened_identities), not once
-- per pair (the national pairs are millions: cleaning and splitting the two names again
-- for each pair was most of this step's time).
CREATE OR REPLACE TEMP MACRO name_forms(last_name, usual_name, first_names) AS {
    'last_compact': compact_name(last_name), 'last_tokens': name_tokens(last_name),
    'usual_compact': compact_name(usual_name), 'usual_tokens': name_tokens(usual_name),
    'first_compact': compact_name(first_names), 'first_tokens': name_tokens(first_names)};
-- The best similarity of a word of one name to a word of the other; two one-word names are
-- their compact forms (computed without the lambdas, which cost most).
CREATE OR REPLACE TEMP MACRO token_similarity(a_compact, a_tokens, b_compact, b_tokens) AS
    CASE WHEN len(a_tokens) = 1 AND len(b_tokens) = 1
         THEN jaro_winkler_similarity(a_compact, b_compact)
         ELSE coalesce(list_max(list_transform(a_tokens, lambda x:
                  list_max(list_transform(b_tokens, lambda y: jaro_winkler_similarity(x, y))))), 0)
    END;
CREATE OR REPLACE TEMP MACRO surnames_agree(a_compact, a_tokens, b_compact, b_tokens) AS
    a_compact <> '' AND b_compact <> ''
    AND (jaro_winkler_similarity(a_compact, b_compact) >= 0.75
         OR token_similarity(a_compact, a_tokens, b_compact, b_tokens) >= 0.85);
CREATE OR REPLACE TEMP MACRO given_names_agree(a_compact, a_tokens, b_compact, b_tokens) AS
    a_compact <> '' AND b_compact <> ''
    AND (jaro_winkler_similarity(a_compact, b_compact) >= 0.85
         OR token_similarity(a_compact, a_tokens, b_compact, b_tokens) >= 0.8);
-- s, p: the name forms (name_forms) of a source record (or a screened file) and of an
-- AGDREF file.
CREATE OR REPLACE TEMP MACRO names_agree(s, p) AS
    ((surnames_agree(s.last_compact, s.last_tokens, p.last_compact, p.last_tokens)
      OR surnames_agree(s.last_compact, s.last_tokens, p.usual_compact, p.usual_tokens))
     AND given_names_agree(s.first_compact, s.first_tokens, p.first_compact, p.first_tokens))
    OR (token_similarity(s.last_compact, s.last_tokens, p.first_compact, p.first_tokens) >= 0.85
        AND token_similarity(s.first_compact, s.first_tokens, p.last_compact, p.last_tokens)
            >= 0.85);
-- The same names written otherwise (core_name_keys.sql), surnames of 3 letters or more.
CREATE OR REPLACE TEMP MACRO skeletons_agree(s, p) AS
    length(s.last_name_skeleton) >= 3 AND length(s.first_name_skeleton) >= 2
    AND ((s.last_name_skeleton IN (p.last_name_skeleton, p.usual_name_skeleton)
          AND s.first_name_skeleton = p.first_name_skeleton)
         OR (s.last_name_skeleton = p.first_name_skeleton
             AND s.first_name_skeleton = p.last_name_skeleton));
CREATE OR REPLACE TEMP MACRO part_agrees(a, b, placeholder_a, placeholder_b) AS
    a IS NULL OR b IS NULL OR placeholder_a OR placeholder_b OR a = b;
-- A known sex, nationality or birth year that differs (also read by core_person_links.sql).
CREATE OR REPLACE TEMP MACRO identity_conflict(s, p) AS
    (s.sex IS NOT NULL AND p.sex IS NOT NULL AND s.sex <> p.sex)
    OR (s.nationality IS NOT NULL AND p.nationality IS NOT NULL
        AND s.nationality <> p.nationality)
    OR (s.birth_year IS NOT NULL AND p.birth_year IS NOT NULL AND s.birth_year <> p.birth_year);
-- s, p: a record and a file as table aliases, s_names, p_names: their name_forms columns.
-- The forms are passed as columns because a table alias passed to a macro is a struct of
-- the whole row, which the lambdas of token_similarity would build again for every pair.
-- Two complete real dates of one year with day and month swapped (DD/MM read as MM/DD, a
-- common slip): as telling as the same date (comparisons.py, SWAPPED_DATE_M).
CREATE OR REPLACE TEMP MACRO birth_swapped(s, p) AS
    s.birth_year = p.birth_year AND s.birth_day = p.birth_month
    AND s.birth_month = p.birth_day AND s.birth_day <> s.birth_month
    AND NOT s.birth_date_is_placeholder AND NOT p.birth_date_is_placeholder;
-- Birth dates short of one complete date on both sides (day and month swapped agree): a
-- year, a month or a 01/01 placeholder on either side, none, or two complete dates that
-- differ (a slip of the day). Namesakes born the same year are common
-- (core_person_links.sql). Never null: unknown reads as weak.
CREATE OR REPLACE TEMP MACRO weak_birth_date(s, p) AS coalesce(
    s.birth_date IS NULL OR p.birth_date IS NULL
    OR (s.birth_date <> p.birth_date AND NOT birth_swapped(s, p))
    OR s.birth_date_is_placeholder OR p.birth_date_is_placeholder, true);
-- One birth date read on both sides: the same year, and the month and day where both know
-- them (a 01/01 placeholder knows neither), or day and month swapped.
CREATE OR REPLACE TEMP MACRO birth_dates_agree(s, p) AS
    s.birth_year = p.birth_year
    AND ((part_agrees(s.birth_month, p.birth_month, s.birth_date_is_placeholder,
                      p.birth_date_is_placeholder)
          AND part_agrees(s.birth_day, p.birth_day, s.birth_date_is_placeholder,
                          p.birth_date_is_placeholder))
         OR coalesce(birth_swapped(s, p), false));
CREATE OR REPLACE TEMP MACRO identities_agree(s, p, s_names, p_names) AS
    birth_dates_agree(s, p)
    AND NOT identity_conflict(s, p)
    AND (names_agree(s_names, p_names) OR skeletons_agree(s, p));
-- The number a record gave is strong evidence of its own: the file it names agrees when
-- the names agree and no known sex or nationality differs, even through one slip of the
-- birth date that identities_agree refuses (issue 33): the year one off with the same
-- day and month, the same year and month with another day (a typo on the list or the
-- file), or no birth date on one side. Through a slip, the names must be the same names
-- (the same skeletons, or written alike): the slip is then the one difference, where
-- a similar name of another person (DIAW MAMADY born 02/03/1990 giving the number of
-- DIALLO MAMADOU born 14/03/1990) verified and planned his removal under the other's
-- OQTF (identity audit of 2026-12-07). Linking then never hides a minor: OQ-03 reads
-- every source's date at its youngest (transforms/rules/rights.py).
CREATE OR REPLACE TEMP MACRO names_alike(s, p, s_names, p_names) AS
    skeletons_agree(s, p)
    OR (s_names.last_compact <> '' AND s_names.first_compact <> ''
        AND ((s_names.last_compact IN (p_names.last_compact, p_names.usual_compact)
              AND s_names.first_compact = p_names.first_compact)
             OR (s_names.last_compact = p_names.first_compact
                 AND s_names.first_compact = p_names.last_compact)));
CREATE OR REPLACE TEMP MACRO birth_slip(s, p) AS
    s.birth_year IS NULL OR p.birth_year IS NULL
    OR (NOT s.birth_date_is_placeholder AND NOT p.birth_date_is_placeholder
        AND s.birth_month IS NOT NULL AND s.birth_month = p.birth_month
        AND s.birth_day IS NOT NULL AND p.birth_day IS NOT NULL
        AND ((abs(s.birth_year - p.birth_year) = 1 AND s.birth_day = p.birth_day)
             OR s.birth_year = p.birth_year));
CREATE OR REPLACE TEMP MACRO number_agrees(s, p, s_names, p_names) AS
    list_contains(s.numbers, p.num_agdref)
    AND coalesce(birth_slip(s, p), false)
    AND NOT coalesce(s.sex <> p.sex, false)
    AND NOT coalesce(s.nationality <> p.nationality, false)
    AND (names_agree(s_names, p_names) OR skeletons_agree(s, p))
    AND (coalesce(birth_dates_agree(s, p), false) OR names_alike(s, p, s_names, p_names));
CREATE OR REPLACE TEMP MACRO candidate_evidence(s, p) AS
    CASE WHEN list_contains(s.numbers, p.num_agdref) THEN 'NUMBER'
         WHEN s.birth_date IS NOT NULL AND p.birth_date IS NOT NULL
              AND NOT s.birth_date_is_placeholder AND NOT p.birth_date_is_placeholder
             THEN 'IDENTITY'
         ELSE 'IDENTITY_WEAK' END;
