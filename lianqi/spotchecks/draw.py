"""The spot-check draw, as a pure function of recorded inputs (docs/development/spot-check-draw.md).

Algorithm ``lianqi-sha256-v1``:

1. ``rank(seed, namespace, id) = SHA-256("{seed}|{namespace}|{id}")`` as a hex string. Sorting by
   rank is a random order that anyone can recompute from the seed; no random-number generator
   (and so no Python-version dependence) is involved.
2. Sample size: ``count`` (at most the number of candidates) or ``ceil(N × ratio / 100)``.
3. Without strata: the ``n`` candidates of lowest ``rank(seed, "target", id)``. With strata:
   each stratum gets ``floor(n × N_h / N)`` places; the places left go one each to the strata
   with the largest remainders ``n × N_h mod N`` (ties: stratum key order); within a stratum the
   candidates of lowest rank are taken. The drawn targets are listed in rank order.
4. Inspectors, target by target in that order: the eligible inspectors (not in conflict with
   the target) sorted by (how many targets they already have in this draw,
   ``rank(seed, "inspector:{target id}", inspector id)``); the first ``per_target`` are taken.
   A target with fewer eligible inspectors than needed stops the draw with a ``DrawError`` that
   names it.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from decimal import ROUND_CEILING, Decimal

ALGORITHM = "lianqi-sha256-v1"


class DrawError(Exception):
    def __init__(self, message: str, *, code: str, details: dict | None = None):
        super().__init__(message)
        self.message, self.code, self.details = message, code, details or {}


def rank(seed: str, namespace: str, ident: int) -> str:
    return hashlib.sha256(f"{seed}|{namespace}|{ident}".encode()).hexdigest()


@dataclass
class DrawInputs:
    seed: str
    candidates: list[int]  # enterprise ids, ascending
    inspectors: list[int]  # eligible inspector ids (certificates valid, in scope), ascending
    per_target: int
    count: int | None = None
    ratio: str | None = None  # percentage as a decimal string, e.g. "12.5"
    strata: dict[str, str] | None = None  # enterprise id (as text) -> stratum key
    conflicts: list[list[int]] = field(default_factory=list)  # [inspector id, enterprise id]
    algorithm: str = ALGORITHM

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict) -> DrawInputs:
        return cls(**data)


def sample_size(total: int, *, count: int | None, ratio) -> int:
    if total == 0:
        return 0
    if count is not None:
        return min(count, total)
    size = (Decimal(total) * Decimal(str(ratio)) / 100).to_integral_value(rounding=ROUND_CEILING)
    return max(1, min(total, int(size)))


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Largest-remainder allocation of ``n`` places to strata of the given sizes."""
    total = sum(sizes.values())
    if total == 0:
        return dict.fromkeys(sizes, 0)
    quotas = {key: n * size // total for key, size in sizes.items()}
    left = n - sum(quotas.values())
    order = sorted(sizes, key=lambda key: (-(n * sizes[key] % total), key))
    for key in order[:left]:
        quotas[key] += 1
    return quotas


def select_targets(inputs: DrawInputs) -> list[int]:
    n = sample_size(len(inputs.candidates), count=inputs.count, ratio=inputs.ratio)
    by_rank = sorted(inputs.candidates, key=lambda c: rank(inputs.seed, "target", c))
    if not inputs.strata:
        return by_rank[:n]
    groups: dict[str, list[int]] = {}
    for candidate in by_rank:
        groups.setdefault(inputs.strata[str(candidate)], []).append(candidate)
    quotas = allocate({key: len(members) for key, members in groups.items()}, n)
    chosen = {c for key, members in groups.items() for c in members[: quotas[key]]}
    return [c for c in by_rank if c in chosen]


def run(inputs: DrawInputs) -> dict:
    """``{"targets": [{"enterprise": id, "stratum": key, "inspectors": [ids]}]}`` or DrawError."""
    if inputs.algorithm != ALGORITHM:
        raise DrawError(f"Unknown algorithm {inputs.algorithm}", code="algorithm")
    if inputs.per_target < 2:
        raise DrawError("At least two inspectors check each enterprise.", code="per_target")
    targets = select_targets(inputs)
    if not targets:
        raise DrawError("No enterprise matches the plan's criteria.", code="no_candidates")
    conflicts = {(i, e) for i, e in inputs.conflicts}
    load = dict.fromkeys(inputs.inspectors, 0)
    rows, short = [], []
    for target in targets:
        eligible = [i for i in inputs.inspectors if (i, target) not in conflicts]
        if len(eligible) < inputs.per_target:
            short.append({"enterprise": target, "eligible": len(eligible)})
            continue
        eligible.sort(key=lambda i: (load[i], rank(inputs.seed, f"inspector:{target}", i)))
        chosen = eligible[: inputs.per_target]
        for i in chosen:
            load[i] += 1
        rows.append({"enterprise": target, "stratum": (inputs.strata or {}).get(str(target), ""), "inspectors": chosen})
    if short:
        raise DrawError(
            f"Not enough eligible inspectors for {len(short)} enterprise(s); {inputs.per_target} needed each.",
            code="not_enough_inspectors",
            details={"targets": short, "needed": inputs.per_target},
        )
    return {"algorithm": ALGORITHM, "targets": rows}
