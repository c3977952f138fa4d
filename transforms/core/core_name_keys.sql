-- reads: nothing
-- builds: nothing (macros only: name_skeleton, first_name_skeleton and their parts)
-- Name skeletons for matching transliterated names (used by core_persons.sql and
-- identity_agreement.sql): particles joined to the next word (ABD EL KADER -> ABDELKADER,
-- BEN ALI -> BENALI), sounds written several ways folded (OU/OO/W -> U, EE/Y -> I,
-- KH/CK/Q/C -> K, PH -> F, TH -> T, DH -> D, GH -> G, Z -> S), then vowels after the first
-- letter, a final H and doubled letters dropped: MOHAMED, MOHAMMED and MUHAMMAD all give
-- MHMD; ABDELKADER and ABDULKADIR give ABDLKDR; OUEDRAOGO and WEDRAOGO give UDRG.
CREATE OR REPLACE TEMP MACRO joined_particles(s) AS
    regexp_replace(coalesce(s, ''),
                   '\b(EL|AL|BEN|BIN|IBN|ABD|ABDEL|ABDUL|ABOU|ABU|OULD|BOU)\s+', '\1', 'g');
CREATE OR REPLACE TEMP MACRO folded_sounds(s) AS
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    regexp_replace(regexp_replace(regexp_replace(
        regexp_replace(joined_particles(s), '[^A-Z]', '', 'g'),
        'OU|OO|W', 'U', 'g'), 'EE|Y', 'I', 'g'), 'KH|CK|Q|C', 'K', 'g'),
        'PH', 'F', 'g'), 'TH', 'T', 'g'), 'DH', 'D', 'g'), 'GH', 'G', 'g'), 'Z', 'S', 'g');
-- A macro's argument is written out at each place it is used: a value used twice is
-- passed through a one-element list (list_transform([x], lambda y: … y … y …)[1]), so
-- that the chain of regular expressions is bound and evaluated once (3 times as fast to
-- bind, 6 times to evaluate on 200,000 names).
CREATE OR REPLACE TEMP MACRO without_repeats(s) AS
    list_transform([s], lambda y: array_to_string(list_filter(string_split(y, ''),
        lambda c, i: i = 1 OR c <> string_split(y, '')[i - 1]), ''))[1];
CREATE OR REPLACE TEMP MACRO name_skeleton(s) AS
    list_transform([folded_sounds(s)], lambda f: without_repeats(regexp_replace(
        left(f, 1) || regexp_replace(substr(f, 2), '[AEIOU]', '', 'g'), 'H$', '')))[1];
-- Several given names are written with single spaces (standardise.given_names): the
-- first, and the others (linkage_records.sql compares both).
CREATE OR REPLACE TEMP MACRO first_given_name(s) AS split_part(trim(coalesce(s, '')), ' ', 1);
CREATE OR REPLACE TEMP MACRO other_given_names(s) AS
    trim(regexp_replace(trim(coalesce(s, '')), '^\S+', ''));
-- First given name only: the others come and go between sources.
CREATE OR REPLACE TEMP MACRO first_name_skeleton(s) AS name_skeleton(first_given_name(s));
