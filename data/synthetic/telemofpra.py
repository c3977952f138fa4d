"""TélémOfpra weekly lists: each department's asylum decisions (docs/contracts.md §1.1)."""

from __future__ import annotations

from datetime import date

from data.synthetic.files import fmt
from data.synthetic.persons import days
from data.synthetic.realism import REALISM


class TelemofpraMixin:
    """TélémOfpra rows of the generator (Generator)."""

    def list_dates(self, unit: str, period: int, count: int, salt: int) -> list[date]:
        offset = (sum(map(ord, unit)) * 7 + salt) % period
        latest = self.as_of - days(offset)
        return sorted(latest - days(period * k) for k in range(count))

    def telemofpra_rows(self) -> dict[tuple[str, date], list[dict]]:
        lists: dict[tuple[str, date], list[dict]] = {}
        dates = {d: self.list_dates(d, 7, self.scale.weeks, 3) for d in self.scale.departments}
        sequence = 0
        for p in self.persons:
            if not p.decisions:
                continue
            sequence += 1
            domicile = self.elsewhere(p.department, "telemofpra_domicile_elsewhere")
            num_ofpra = f"OF{self.as_of.year - 1}{sequence:07d}"
            identity = self.render_identity(p, "telemofpra")
            self.record(f"telemofpra:{num_ofpra}", p, "telemofpra", identity)
            for d in p.decisions:
                candidates = dates[domicile]
                needed = max(x for x in (d["known"], d["decision_date"], d["notification_date"],
                                         d["final_date"]) if x is not None)
                later = [x for x in candidates if x >= needed]
                if not later:
                    shift = needed - candidates[-1]
                    for k in ("claim_date", "decision_date", "notification_date", "final_date"):
                        if d[k] is not None:
                            d[k] -= shift
                    later = [candidates[-1]]
                d["known"] = later[0]
                row = {
                    "NUM_OFPRA": num_ofpra, "NUM_AGDREF": identity["NUM_AGDREF"],
                    "NOM": identity["NOM"], "PRENOMS": identity["PRENOMS"], "SEXE": p.sex,
                    "DATE_NAISSANCE": identity["DATE_NAISSANCE"], "NATIONALITE": p.nationality,
                    "DEPT_DOMICILIATION": domicile, "TYPE_DEMANDE": d["claim_type"],
                    "PROCEDURE": d["procedure"], "DATE_INTRODUCTION": fmt(d["claim_date"]),
                    "ORGANE": d["body"], "SENS_DECISION": d["outcome"] or "",
                    "FONDEMENT": d["basis"] or "", "DATE_DECISION": fmt(d["decision_date"]),
                    "MODE_CNDA": d["cnda_mode"] or "",
                    "DATE_NOTIFICATION": fmt(d["notification_date"]),
                    "DATE_DEFINITIVE": fmt(d["final_date"]),
                }
                lists.setdefault((domicile, later[0]), []).append(row)
                if len(later) > 1 and self.rng.random() < REALISM[
                        "telemofpra_decision_repeated_next_list"]:
                    lists.setdefault((domicile, later[1]), []).append(dict(row))
        for dept, ds in dates.items():
            for d in ds:
                lists.setdefault((dept, d), [])
        return lists
