"""The review queue's words: what each code of core.link_review means, in French."""

from __future__ import annotations

from datetime import date

EVIDENCE = {
    "NUMBER": "numéro AGDREF donné, identité concordante",
    "NUMBER_NOT_VERIFIED": "numéro AGDREF donné, identité discordante",
    "IDENTITY": "identité concordante, sans numéro",
    "PROBABILISTIC": "candidat proposé par le modèle de rapprochement",
    "DUPLICATE": "deux dossiers AGDREF d'une même personne",
    "AGENT_CONFIRMED": "rattachement confirmé par un agent, contredit depuis",
}
# Why a record is where it is tonight (core.person_links.link_rule, core_person_links.sql)
WHY = {
    "NUMBER_VERIFIED": EVIDENCE["NUMBER"],
    "PROBABILISTIC": "rapproché par le modèle, sans autre candidat proche",
    "AGENT_CONFIRMED": "confirmé par un agent",
    "AGENT_CONFIRMED_SEVERAL": "des confirmations d'agents désignent plusieurs personnes",
    "AGENT_DECISIONS_DISAGREE": "un agent l'a rattaché à une personne qu'un autre a "
                                "écartée par un autre de ses dossiers",
    "AGENT_CONFIRMED_CONTRADICTED": "un agent l'a rattaché à un dossier, mais depuis le "
                                    "numéro AGDREF qu'il donne désigne une autre personne, "
                                    "ou une liste a corrigé son sexe, sa nationalité ou "
                                    "son année de naissance : à décider de nouveau",
    "CONFIRMED_FILE_GONE": "le dossier AGDREF auquel un agent l'avait rattaché n'est plus "
                           "dans l'extraction (supprimé, renuméroté ou fusionné) : à "
                           "rattacher de nouveau",
    "SEVERAL_NUMBERS_VERIFIED": "plusieurs numéros AGDREF donnés désignent des personnes "
                                "différentes",
    "SEVERAL_CANDIDATES": "plusieurs dossiers sont presque aussi vraisemblables l'un que "
                          "l'autre",
    "CANDIDATE_CONFLICTS": "un sexe, une nationalité ou une année de naissance connus "
                           "diffèrent",
    "WEAK_BIRTH_DATE": "seule une date de naissance partielle concorde (année, mois ou "
                       "01/01) : des homonymes la partagent",
    "DETAILS_DIFFER": "le premier prénom diffère et l'attestation de la demande d'asile "
                      "ne désigne pas ce dossier, ou les autres prénoms ou la ville de "
                      "naissance ne concordent pas sans autre élément en sa faveur, ou "
                      "sans une même date de naissance complète des deux côtés : un "
                      "homonyme, ou un frère né le même jour, est aussi vraisemblable",
    "SURNAME_SPLIT": "le dossier n'est vraisemblable qu'en lisant un nom composé réparti "
                     "entre le nom et les prénoms (BEN / SALAH MOHAMED pour BEN SALAH / "
                     "MOHAMED) : un homonyme portant ce nom composé l'est autant",
    "GREY_BAND": "vraisemblance entre le seuil de vérification et celui de rapprochement",
    "ANOTHER_DETAINEE": "un autre détenu, sur la dernière liste d'un établissement, est "
                        "rattaché à la même personne : une personne n'est pas écrouée "
                        "deux fois, l'un des deux est un homonyme",
    "NUMBER_NOT_VERIFIED": "le numéro AGDREF donné désigne un dossier dont l'identité ne "
                           "concorde pas assez",
    "NUMBER_UNKNOWN": "le numéro AGDREF donné ne désigne aucun dossier de l'extraction, "
                      "et aucun candidat n'est assez vraisemblable",
    "NO_NUMBER": "ni numéro AGDREF, ni candidat assez vraisemblable",
    "AGENT_REJECTED": "un agent a rejeté le rapprochement",
    "AGDREF_FILE": "dossier AGDREF",
    "AGDREF_DUPLICATE": "dossiers AGDREF réunis par le modèle (jamais utilisé pour agir "
                        "sur l'autre dossier)",
    "AGDREF_DUPLICATE_CONFIRMED": "dossiers AGDREF réunis, confirmé par un agent",
}
STATUS = {"LINKED": "rapproché (utilisé)", "REVIEW": "à vérifier (jamais utilisé)",
          "UNLINKED": "non rapproché"}
SYSTEMS = {"telemofpra": "TélémOfpra", "genesis": "GENESIS", "agdref": "AGDREF"}
DECISION = {"CONFIRMED": "confirmé (même personne)",
            "REJECTED": "rejeté (personnes différentes)"}
# the parts of an identity shown side by side: (column of record_rows.sql, French label)
FIELDS = (("last_name", "Nom"), ("first_names", "Prénoms"), ("birth", "Date de naissance"),
          ("birth_place", "Lieu de naissance"), ("sex", "Sexe"),
          ("nationality", "Nationalité"), ("entry_date", "Entrée en France"),
          ("department", "Département"), ("num_agdref", "N° AGDREF donné"),
          ("extraction_date", "Extraction"))
CONFLICT_KINDS = {True: "le même enregistrement rattaché au dossier d'une autre personne",
                  False: "un autre enregistrement d'une même liste, ou un autre détenu "
                         "écroué à ce jour, rattaché à cette personne"}
REJECTED_KIND = ("le même enregistrement, écarté de cette personne par un autre de ses "
                 "dossiers")


def birth(row: dict) -> str:
    """A birth date as known: complete, or its known parts (?? for the unknown)."""
    if row.get("birth_date"):
        return row["birth_date"].strftime("%d/%m/%Y")
    parts = [f"{row[p]:02d}" if row.get(p) else "??" for p in ("birth_day", "birth_month")]
    year = str(row["birth_year"]) if row.get("birth_year") else "????"
    return "/".join([*parts, year])


def value(row: dict | None, name: str) -> str:
    if row is None:
        return "—"
    if name == "birth":
        return birth(row)
    found = row.get(name)
    if isinstance(found, date):
        return found.strftime("%d/%m/%Y")
    return "—" if found in (None, "") else str(found)


def _compared(row: dict | None, name: str) -> str | None:
    """A part of an identity as the model compares it: the place of birth by the town the
    night read in it (queries.side, core.birth_towns: "CONAKRY, GUINEE" and "Conakry"
    agree; no place, or a country alone: None), as written where the night read none;
    the rest as shown."""
    if name == "birth_place":
        if not row or not row.get(name):
            return None
        return row["birth_town"] if "birth_town" in row else row[name]
    return value(row, name)


def elsewhere(department: str | None) -> str:
    return f"du département {department}" if department else "d'un autre département"


def overridden(pair: str, departments_of: dict[str, str], departments: list[str]) -> str:
    """The confirmed pair a manager's confirmation overrode (IdentityDecision.
    overridden_pair, `<record_key> <num_agdref>`), as the pair's history shows it: beyond
    the account's departments, the record's department alone."""
    department = departments_of.get(pair.split(" ", 1)[0])
    if department in departments:
        return f"la paire confirmée {pair}"
    return f"une paire confirmée d'un enregistrement {elsewhere(department)}"


def side_by_side(record: dict | None, file: dict | None) -> list[dict]:
    return [{"label": label, "record": value(record, name), "file": value(file, name),
             "differs": name != "extraction_date"
             and _compared(record, name) != _compared(file, name)}
            for name, label in FIELDS]


def conflict_message(conflict, record_key: str, departments: list[str]) -> str:
    """The one line an agent reads when a confirmation contradicts a pair confirmed by an
    agent or linked tonight (transforms.identity.review.Conflict). Need to know: a record
    beyond the account's departments is named by its department alone (as the pair's
    page names the other detainees held now)."""
    how = ("rejetée" if conflict.rejected else "confirmée" if conflict.confirmed
           else "rapprochée cette nuit")
    kind = REJECTED_KIND if conflict.rejected else CONFLICT_KINDS[
        conflict.record_key == record_key]
    if conflict.department not in departments:
        return (f"Confirmation refusée : elle contredit la paire {how} d'un enregistrement "
                f"{elsewhere(conflict.department)} ({kind}).")
    return (f"Confirmation refusée : elle contredit la paire {how} {conflict.record_key} = "
            f"agdref:{conflict.num_agdref} ({kind}).")
