"""Splink's waterfall chart, drawn on the server: the prior (what any pair weighs before
its values are compared), then each comparison's match weight, added one after the
other, up to the pair's match weight; the bits are read as probabilities at both ends.
The drawing is plain SVG geometry, no script."""

from __future__ import annotations

from dataclasses import dataclass

# core.link_review's weight_<comparison> columns, in Splink's order, with their French names
COMPARISONS = (
    ("surname", "Nom"), ("given_name", "Premier prénom"),
    ("other_given_names", "Autres prénoms"), ("birth", "Date de naissance"),
    ("sex", "Sexe"), ("nationality", "Nationalité"), ("department", "Département"),
    ("asylum_claim", "Attestation de demande d'asile"), ("birth_place", "Lieu de naissance"),
    ("entry_date", "Date d'entrée en France"),
)
WIDTH, LABELS, ROW, BAR = 760, 230, 30, 20  # pixels


@dataclass(frozen=True)
class Bar:
    label: str
    weight: float
    start: float  # cumulated bits before this bar
    end: float
    kind: str  # prior, for, against, total

    @property
    def text(self) -> str:
        return bits(self.weight)


def bits(value: float) -> str:
    return f"{value:+.2f}".replace(".", ",").replace("-", "−") + " bits"


def probability(weight: float) -> float:
    """Splink: match probability = 2^w / (1 + 2^w)."""
    return 1 / (1 + 2 ** -weight) if weight > -1000 else 0.0


def percent(value: float | None) -> str:
    if value is None:
        return "—"
    if 0 < value < 0.001:  # a prior is often a few in a million: never shown as 0 %
        return "moins de 0,1 %"
    if 0.999 < value < 1:  # a pair sent to an agent is never certain: never 100 %
        return "plus de 99,9 %"
    return f"{value * 100:.1f} %".replace(".", ",")


def bars(pair: dict) -> list[Bar]:
    """The waterfall's bars, or none when Splink did not score the pair."""
    if pair.get("match_weight") is None:
        return []
    weights = [(label, pair[f"weight_{name}"] or 0.0) for name, label in COMPARISONS]
    prior = pair["match_weight"] - sum(w for _, w in weights)
    drawn = [Bar("A priori (avant comparaison)", prior, 0.0, prior, "prior")]
    for label, weight in weights:
        start = drawn[-1].end
        drawn.append(Bar(label, weight, start, start + weight,
                         "for" if weight >= 0 else "against"))
    drawn.append(Bar("Poids final", pair["match_weight"], 0.0, pair["match_weight"], "total"))
    return drawn


def chart(pair: dict) -> dict | None:
    """What the template draws: each bar's rectangle, the zero line, both probabilities."""
    drawn = bars(pair)
    if not drawn:
        return None
    ends = [0.0] + [b.start for b in drawn] + [b.end for b in drawn]
    low, high = min(ends), max(ends)
    span = (high - low) or 1.0
    plot = WIDTH - LABELS - 90

    def x(value: float) -> float:
        return round(LABELS + (value - low) / span * plot, 1)

    rows = [{"label": b.label, "text": b.text, "kind": b.kind, "y": i * ROW + 5,
             "label_y": i * ROW + 20, "x": min(x(b.start), x(b.end)),
             "width": max(abs(x(b.end) - x(b.start)), 1.0), "text_x": max(x(b.start), x(b.end)) + 6}
            for i, b in enumerate(drawn)]
    return {"rows": rows, "width": WIDTH, "height": len(drawn) * ROW + 10,
            "zero_x": x(0.0), "prior": percent(probability(drawn[0].weight)),
            "final": percent(pair["match_probability"]), "prior_bits": drawn[0].text,
            "final_bits": drawn[-1].text}
