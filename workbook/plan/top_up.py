"""The person-level top-up: extra seats for everyone owed the JP minimum who is still below it
after :func:`~workbook.plan.people.assign_people`, within the remaining budget and capacity,
and who still stays below, and why.

Person-level outputs are pseudonymous and carry ``attrs["output_class"] == "restricted"``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

import workbook.plan._line_model as _line_model
import workbook.plan._top_up_funding as _fund
from workbook.core.checks import require_columns as _require_columns
from workbook.core.checks import settings_or_default as _settings
from workbook.core.exceptions import DataError, SettingsError
from workbook.core.settings import Settings
from workbook.plan.catalogue import _catalogue
from workbook.plan.common import _GROUP_KEY_ORDER, _frame_of, _num, _owed, _reason_code, _text
from workbook.plan.groups import GroupPlan
from workbook.plan.people import PersonAssignment

__all__ = ["TAHAP", "top_up_people"]


#: ``tahap`` of an assignment row: a planned seat, a top-up seat for the person's own need,
#: or a top-up seat in a general programme (person without a recorded need).
TAHAP = ("rencana", "tambahan", "umum")

#: Forms never used by the top-up: leadership training needs a nomination and Latsar is the
#: CPNS basic training (rule of :func:`top_up_people`).
_TOP_UP_EXCLUDED_FORMS = ("pelatihan_kepemimpinan", "latsar")


def top_up_people(
    assignment: PersonAssignment,
    plan: GroupPlan,
    inventory: pd.DataFrame,
    pegawai: pd.DataFrame,
    katalog: pd.DataFrame,
    *,
    settings: Settings | None = None,
    komponen: pd.DataFrame | None = None,
    eligible: pd.DataFrame | None = None,
    targets: pd.DataFrame | None = None,
) -> PersonAssignment:
    """Person-level top-up: extra seats for everyone owed the JP minimum who is still below it.

    The group-level plan counts JP per unit, so after :func:`assign_people` some PNS stay below
    ``jp.minimum_pns`` although the unit aggregate shows no shortfall. This stage gives them
    additional seats within the **remaining** budget of their funding line (the ceiling minus
    what the placed people cost; seats of the group plan left empty free their money) and the
    remaining capacity of the programmes, and lists who still cannot reach the minimum and why.

    Parameters
    ----------
    assignment : PersonAssignment
        From :func:`assign_people`.
    plan : GroupPlan
        From :func:`plan_groups` (funding lines, ``funding``, ``max_sessions_per_month``).
    inventory : DataFrame
        ``pegawai_id``, ``kode_kompetensi``; optional ``need_score``, ``priority``,
        ``jenis_kebutuhan``.
    pegawai : DataFrame
        ``pegawai_id``, ``kode_unit``, ``status``; ``profil`` if the plan's groups use it.
    katalog : DataFrame
    settings : Settings, optional
        ``jp.minimum_pns``, ``plan.jp_owed_status``, ``plan.top_up_preferred_forms``,
        ``plan.top_up_general_for``, ``plan.top_up_general_forms``,
        ``plan.top_up_general_programmes``.
    eligible : DataFrame, optional
        The eligible pairs (``pegawai_id``, ``program_id``; :attr:`MandatoryBlock.pairs`): a
        person is only ever offered a programme of a pair, and the reason printed for anyone
        still below is computed over these programmes. None = everyone eligible for everything.
    targets : DataFrame, optional
        Per person (:func:`workbook.plan.jp_right.jp_targets`): ``pegawai_id``, ``target_jp``
        (0 = not owed), ``cap_jp`` (inf = no cap), ``uncounted_jp`` (JP already planned that do
        not count toward target or cap: Latsar of a CPNS becoming PNS, Orientasi PPPK),
        ``owed`` (listed in ``below_minimum`` when still below), ``free_only`` (only free
        options, e.g. PPPK under ``plan.top_up_pppk``), ``unavailable_reason``. None = the
        statuses of ``plan.jp_owed_status`` are owed ``jp.minimum_pns``, nobody is capped.

    Returns
    -------
    PersonAssignment
        The assignment rows plus the top-up rows (``tahap`` = ``"tambahan"`` for a seat that
        answers the person's own need, ``"umum"`` for a general programme; planned seats keep
        ``"rencana"``); ``summary`` with the person-level figures; ``below_minimum`` (one row
        per person still below the minimum: ``pegawai_id``, ``kode_unit``, ``status``,
        ``jp_planned``, ``jp_missing``, ``n_needs``, ``reason`` (codes, ';'),
        ``usulan_program``, ``usulan_biaya``; restricted); ``budget`` (per funding line:
        ``sumber_dana``, ``kode_unit``, ``pagu``, ``used_group_plan``, ``used_top_up``,
        ``used`` (placed people and top-up), ``remaining``).

    Notes
    -----
    Without ``targets`` only people whose status is in ``plan.jp_owed_status`` (PNS) get top-up
    seats. With ``targets`` each person is lifted to their own ``target_jp`` and never above their
    ``cap_jp`` (a PPPK never over ``jp.pppk_maximum``); ``free_only`` people get tiers 0–2 only.
    With ``eligible`` only eligible programmes are offered. Leadership training and Latsar are
    never used. A person gets a programme at most once.

    Options of one person, in this order (tiers):

    0. free programmes for a need without a seat yet (inventory);
    1. free programmes for a need that already has a seat (a second activity);
    2. free general programmes — for everyone below the target, after their own needs (unless
       ``plan.top_up_general_for = "none"``; issue #17, review W9: a free place is never withheld);
    3. paid programmes for a need without a seat; 4. paid, need with a seat;
    5. paid general programmes — for a person without a recorded need (or everyone with
       ``plan.top_up_general_for = "all"``).

    Within a tier: preferred forms first (``plan.top_up_preferred_forms``: e-learning, coaching,
    mentoring, belajar mandiri …), then the lowest cost per useful JP
    (:math:`\\text{biaya} / \\min(jp, J - JP_i)`), then the most useful JP (fewest
    activities), then a leftover seat in a session that already runs before a new session. General programmes are those listed in ``plan.top_up_general_programmes`` or,
    when that list is empty, every programme of a form in ``plan.top_up_general_forms``.

    Pass A gives everyone below the minimum the free options (tiers 0–2) until they reach it.
    Pass B prices, for everyone still below, the cheapest bundle that reaches the minimum, and
    serves people in increasing order of that price (so the money lifts as many people as
    possible); a paid bundle is committed only when it reaches the minimum. A new seat needs
    room in a planned session or a new session within ``|bulan_tersedia| ×
    max_sessions_per_month``.

    Reasons for a person still below the minimum (codes of
    :data:`~workbook.plan.common.REASON_CODES`; words in :mod:`workbook.plan.words`):
    ``no_need`` (no recorded need and no general programme could be given; ``usulan_program``
    proposes the cheapest general programme), ``no_programme`` (even without budget and capacity
    limits the programmes for their needs give too few JP), ``capacity`` (the programmes that
    would suffice are full in their months), ``budget`` (the funding line cannot pay the bundle),
    ``top_up_off`` (``plan.top_up`` is false and a bundle was possible).
    """
    s = _settings(settings)
    jmin = float(s["jp.minimum_pns"])
    owed_st = _owed(s)
    a0 = _frame_of(assignment, "assignments").copy()
    _require_columns(a0, ["pegawai_id", "program_id", "kode_unit", "jp", "cost"], "assignments")
    _require_columns(inventory, ["pegawai_id", "kode_kompetensi"], "inventory")
    _require_columns(pegawai, ["pegawai_id", "kode_unit", "status"], "pegawai")
    keys = list(getattr(plan, "group_keys", []) or [k for k in _GROUP_KEY_ORDER if k in a0.columns])
    if "tahap" not in a0:
        a0["tahap"] = "rencana"
    msm = int(getattr(plan, "max_sessions_per_month", 1) or 1)
    offer = _offer(katalog, s, msm, komponen)
    if "biaya_kas" not in a0:
        a0["biaya_kas"] = _num(a0["cost"], "assignments", "cost")
    if "line_id" not in a0:
        a0["line_id"] = pd.array([pd.NA] * len(a0), dtype="string")
    a0, n_no_line = _line_model.charge_unlined(a0, plan, offer, pegawai)
    tu = _top_up_state(a0, plan, inventory, pegawai, keys, offer, jmin)
    _set_targets(tu, targets, eligible, owed_st)
    owed_ids = [p_ for p_ in tu.peg["pegawai_id"] if tu.owed.get(p_, False)]
    extra_ids = [p_ for p_ in tu.peg["pegawai_id"] if tu.goal(p_) > 0 and not tu.owed.get(p_, False)]
    before = sum(tu.have.get(p_, 0.0) >= tu.goal(p_) - 1e-9 for p_ in owed_ids)
    spend0 = tu.fund.spend.copy()
    shared0 = tu.fund.shared
    direct0 = tu.fund.shared_direct
    do_top_up = bool(s.get("plan.top_up", True))
    if do_top_up:
        _top_up_passes(tu, owed_ids + extra_ids)
    below_df = _below_minimum(tu, owed_ids, do_top_up)

    # assignments with the top-up rows
    add = pd.DataFrame(tu.new_rows)
    if len(add):
        add = add[[c for c in a0.columns if c in add.columns]]
    a = pd.concat([a0, add], ignore_index=True) if len(add) else a0
    for c in ["pegawai_id", "program_id", "tahap"] + [k for k in keys if k in a]:
        a[c] = a[c].astype("str")
    if tu.fund.mode != "lines":  # the pooled modes: the line of the mode (or the shared pool)
        miss = a["line_id"].isna().to_numpy()
        a.loc[miss, "line_id"] = [
            tu.fund.label(tu.fund.line(tu.unit_of.get(p_, ""), offer.src[offer.pindex[q]]))
            for p_, q in zip(a.loc[miss, "pegawai_id"], a.loc[miss, "program_id"], strict=True)
        ]
    a["line_id"] = a["line_id"].astype("string")
    a["biaya_kas"] = a["biaya_kas"].astype(float)
    a.attrs["output_class"] = "restricted"

    if tu.fund.mode == "lines":
        bud = _line_model.lines_budget(plan, a)
    else:
        bud = _fund._person_budget(plan, tu.fund, spend0, shared0, direct0)
    after = sum(tu.have.get(p_, 0.0) >= tu.goal(p_) - 1e-9 for p_ in owed_ids)
    summ = _top_up_summary(assignment, tu.new_rows, len(owed_ids), before, after)
    summ = pd.concat([summ, pd.DataFrame({"metric": ["seats_without_line"], "value": [float(n_no_line)]})],
                     ignore_index=True)
    summ["metric"] = summ["metric"].astype("str")
    unfilled = assignment.unfilled if isinstance(assignment, PersonAssignment) else pd.DataFrame()
    return PersonAssignment(
        assignments=a, unfilled=unfilled, summary=summ, below_minimum=below_df, budget=bud
    )


@dataclass
class _Offer:
    """The catalogue as the top-up reads it: arrays per programme and the general programmes."""

    pids: np.ndarray
    pindex: dict[str, int]
    jp: np.ndarray
    cost: np.ndarray
    cap: np.ndarray
    max_seats: np.ndarray  # |bulan_tersedia| × capacity × max sessions per month
    src: np.ndarray
    comps: list[list[str]]
    preferred: np.ndarray  # form in plan.top_up_preferred_forms
    general: list[int]
    by_comp: dict[str, list[int]]  # usable programmes per competency
    general_for: str
    kind: np.ndarray  # jenis_program per programme (which budget lines may pay it)


def _offer(katalog: pd.DataFrame, s: Settings, msm: int, komponen: pd.DataFrame | None = None) -> _Offer:
    """The programmes the top-up may use (never leadership training or Latsar, never 0 JP)."""
    general_for = str(s.get("plan.top_up_general_for", "no_need"))
    if general_for not in ("no_need", "all", "none"):
        raise SettingsError(
            f"plan.top_up_general_for tidak dikenal: {general_for!r}.",
            f"Unknown plan.top_up_general_for: {general_for!r}.",
            value=general_for,
            expected="no_need, all, none",
        )
    preferred = set(s.get("plan.top_up_preferred_forms", []) or [])
    cat = _catalogue(katalog, s)
    pids = cat["program_id"].to_numpy(dtype=object)
    pindex = {p: i for i, p in enumerate(pids)}
    jp_p = cat["jp"].to_numpy(float)
    cap_p = cat["kapasitas_per_sesi"].to_numpy(np.int64)
    bentuk_p = cat["bentuk"].to_numpy(dtype=object)
    comps_p = list(cat["kompetensi"])
    usable = ~np.isin(bentuk_p, _TOP_UP_EXCLUDED_FORMS) & (jp_p > 0)
    gen_ids = [str(v) for v in (s.get("plan.top_up_general_programmes", []) or [])]
    unknown = [g_ for g_ in gen_ids if g_ not in pindex]
    if unknown:
        raise SettingsError(
            f"plan.top_up_general_programmes: program {unknown[0]!r} tidak ada di katalog.",
            f"plan.top_up_general_programmes: programme {unknown[0]!r} is not in the catalogue.",
            value=unknown[0],
        )
    if gen_ids:
        general = [pindex[g_] for g_ in gen_ids if usable[pindex[g_]]]
    else:
        gforms = set(s.get("plan.top_up_general_forms", []) or [])
        general = [int(i) for i in np.flatnonzero(usable & np.isin(bentuk_p, list(gforms)))]
    prog_by_comp: dict[str, list[int]] = {}
    for i in np.flatnonzero(usable):
        for k in comps_p[i]:
            prog_by_comp.setdefault(k, []).append(int(i))
    return _Offer(
        pids=pids,
        pindex=pindex,
        jp=jp_p,
        cost=_line_model.cash_cost(katalog, komponen, cat["biaya_per_peserta"].to_numpy(float))[0],
        cap=cap_p,
        max_seats=np.array([len(b) for b in cat["bulan"]], dtype=np.int64) * cap_p * msm,
        src=cat["sumber_dana"].to_numpy(dtype=object),
        comps=comps_p,
        preferred=np.isin(bentuk_p, list(preferred)),
        general=general,
        by_comp=prog_by_comp,
        general_for=general_for,
        kind=_line_model.programme_kinds(katalog, s),
    )


@dataclass
class _TopUp:
    """The state of the top-up: seats and JP so far, the funding lines, the rows added."""

    offer: _Offer
    jmin: float
    needs: dict[str, list[tuple[str, str, float, float]]]  # person -> (k, type, score, priority)
    seats: np.ndarray  # seats taken per programme
    have: dict[str, float]  # JP per person
    taken: set[tuple[str, int]]  # (person, programme)
    covered: set[tuple[str, str]]  # (person, competency) with a seat
    peg: pd.DataFrame
    peg_by_id: pd.DataFrame
    unit_of: dict[str, str]
    fund: _fund._Funding
    new_rows: list[dict] = field(default_factory=list)
    target: dict[str, float] = field(default_factory=dict)  # JP target per person (default jmin if owed)
    cap: dict[str, float] = field(default_factory=dict)  # JP cap per person (absent = none)
    owed: dict[str, bool] = field(default_factory=dict)  # listed in below_minimum when still below
    free_only: set[str] = field(default_factory=set)  # only free options (tiers 0–2)
    unavailable: dict[str, str] = field(default_factory=dict)  # unavailable_reason per person
    ok: set[tuple[str, int]] | None = None  # eligible (person, programme index); None = all

    def goal(self, pid_: str) -> float:
        """The JP this person is to reach (0 = no top-up)."""
        return self.target.get(pid_, 0.0)

    def allowed(self, pid_: str, q: int) -> bool:
        """Whether the person is eligible for programme ``q``."""
        return self.ok is None or (pid_, q) in self.ok

    def options(self, pid_: str) -> list[tuple[int, int, str, str, float, float]]:
        """(tier, programme, competency, need type, need score, priority), best tier per prog."""
        o_ = self.offer
        best: dict[int, tuple[int, int, str, str, float, float]] = {}
        lines = self.needs.get(pid_, [])
        for k, jk, ns, pr in lines:
            cov = (pid_, k) in self.covered
            for q in o_.by_comp.get(k, []):
                if (pid_, q) in self.taken or not self.allowed(pid_, q):
                    continue
                tier = (0 if o_.cost[q] <= 0 else 3) + (1 if cov else 0)
                if q not in best or tier < best[q][0]:
                    best[q] = (tier, q, k, jk, ns, pr)
        every = o_.general_for == "all" or (o_.general_for == "no_need" and not lines)
        if o_.general_for != "none":  # a free general programme is never withheld from anyone below (W9)
            for q in o_.general:
                if (pid_, q) in self.taken or q in best or not self.allowed(pid_, q):
                    continue
                if every or o_.cost[q] <= 0:
                    best[q] = (2 if o_.cost[q] <= 0 else 5, q, "", "umum", np.nan, np.nan)
        return list(best.values())

    def bundle(
        self, pid_: str, max_tier: int, use_budget: bool = True, use_capacity: bool = True,
        use_lines: bool = True,
    ) -> tuple[list[tuple], bool, float]:
        """Greedy bundle for one person without changing the state: (choices, reached, cost).
        ``use_lines=False`` (with ``use_budget=False``) ignores which budget line may pay."""
        o_, jmin, seats, fund = self.offer, self.goal(pid_), self.seats, self.fund
        jp_now = self.have.get(pid_, 0.0)
        cap = self.cap.get(pid_, np.inf)
        if pid_ in self.free_only:
            max_tier = min(max_tier, 2)
        opts = [o for o in self.options(pid_) if o[0] <= max_tier]
        extra: dict[int, float] = {}
        used_seats: dict[int, int] = {}
        chosen: list[tuple] = []
        unit = self.unit_of.get(pid_, "")
        while jp_now < jmin - 1e-9 and opts:
            gap = jmin - jp_now

            def key(o: tuple, gap: float = gap) -> tuple:
                q = o[1]
                n = seats[q] + used_seats.get(q, 0)
                leftover = n % o_.cap[q] != 0
                useful = min(o_.jp[q], gap)
                pr = o[5] if o[5] == o[5] else np.inf
                return (
                    o[0],
                    not o_.preferred[q],
                    o_.cost[q] / useful,
                    -useful,
                    not leftover,
                    pr,
                    o_.pids[q],
                )

            ok = []
            for o in opts:
                q = o[1]
                if jp_now + o_.jp[q] > cap + 1e-9:  # never above the person's cap (PPPK)
                    continue
                if use_capacity and seats[q] + used_seats.get(q, 0) >= o_.max_seats[q]:
                    continue
                if fund.mode == "lines" and use_lines:  # a line that may pay it (with room, with the budget)
                    li = fund.pick(unit, o_.src[q], o_.kind[q], o_.cost[q], extra, use_budget)
                    if li < 0:
                        continue
                elif use_budget and o_.cost[q] > 0:
                    li = fund.line(unit, o_.src[q])
                    if o_.cost[q] > fund.available(li, extra) + 1e-6:
                        continue
                ok.append(o)
            if not ok:
                break
            o = min(ok, key=key)
            q = o[1]
            opts.remove(o)
            chosen.append(o)
            jp_now += o_.jp[q]
            used_seats[q] = used_seats.get(q, 0) + 1
            if o_.cost[q] > 0:
                li = (fund.pick(unit, o_.src[q], o_.kind[q], o_.cost[q], extra, use_budget)
                      if fund.mode == "lines" else fund.line(unit, o_.src[q]))
                extra[li] = extra.get(li, 0.0) + o_.cost[q]
        cost = float(sum(o_.cost[o[1]] for o in chosen))
        return chosen, jp_now >= jmin - 1e-9, cost

    def commit(self, pid_: str, chosen: list[tuple]) -> None:
        """Give the person the chosen seats (rows, seats, JP and spending)."""
        o_, fund = self.offer, self.fund
        info = self.peg_by_id.loc[pid_]
        for _tier, q, k, jk, ns, pr in chosen:
            code = k or ";".join(o_.comps[q])
            li = fund.pick(str(info["kode_unit"]), o_.src[q], o_.kind[q], float(o_.cost[q]))
            row = {
                "pegawai_id": pid_,
                "profil": str(info["profil"]) if "profil" in info.index else "",
                "kode_unit": str(info["kode_unit"]),
                "status": str(info["status"]),
                "jenis_kebutuhan": jk if jk else "kompetensi",
                "kode_kompetensi": code,
                "program_id": o_.pids[q],
                "jp": float(o_.jp[q]),
                "cost": float(o_.cost[q]),
                "need_score": ns,
                "priority": pr,
                "group_value": np.nan,
                "tahap": "umum" if jk == "umum" else "tambahan",
                "line_id": fund.label(li),
                "biaya_kas": float(o_.cost[q]),
            }
            self.new_rows.append(row)
            self.seats[q] += 1
            self.taken.add((pid_, q))
            if k:
                self.covered.add((pid_, k))
            self.have[pid_] = self.have.get(pid_, 0.0) + float(o_.jp[q])
            if o_.cost[q] > 0:
                if li >= 0:
                    fund.spend[li] += o_.cost[q]
                else:  # no line of its own: charged to the shared pool
                    fund.shared_direct += o_.cost[q]


def _top_up_state(
    a0: pd.DataFrame,
    plan: GroupPlan,
    inventory: pd.DataFrame,
    pegawai: pd.DataFrame,
    keys: list[str],
    offer: _Offer,
    jmin: float,
) -> _TopUp:
    """The state after :func:`~workbook.plan.people.assign_people`: seats taken, JP per person,
    money spent per funding line, and each person's needs."""
    pindex = offer.pindex
    a_pid = _text(a0["pegawai_id"])
    a_prog = _text(a0["program_id"])
    bad = sorted(set(a_prog) - set(pindex))
    if bad:
        raise DataError(
            f"Program {bad[0]!r} di penempatan tidak ada di katalog.",
            f"Programme {bad[0]!r} in the assignment is not in the catalogue.",
            file="katalog_program",
            column="program_id",
            value=bad[0],
        )
    a_cost = _num(a0["cost"], "assignments", "cost")
    a_jp = _num(a0["jp"], "assignments", "jp")
    seats = np.bincount([pindex[p] for p in a_prog], minlength=len(offer.pids)).astype(np.int64)
    have: dict[str, float] = {}
    for p_, j_ in zip(a_pid, a_jp, strict=True):
        have[p_] = have.get(p_, 0.0) + float(j_)
    taken = set(zip(a_pid.tolist(), [pindex[p] for p in a_prog], strict=True))
    covered = (
        set(zip(a_pid.tolist(), _text(a0["kode_kompetensi"]).tolist(), strict=True))
        if "kode_kompetensi" in a0
        else set()
    )
    peg = pd.DataFrame({c: _text(pegawai[c]) for c in ("pegawai_id", "kode_unit", "status")})
    if "profil" in keys:
        peg["profil"] = _text(pegawai["profil"]) if "profil" in pegawai else ""
    unit_of = dict(zip(peg["pegawai_id"], peg["kode_unit"], strict=True))
    if str(getattr(plan, "funding", "pool")) == "lines":
        tahap = _text(a0["tahap"]) if "tahap" in a0 else np.full(len(a0), "rencana", dtype=object)
        spend_rows = [(str(lid), t_, float(c)) for lid, t_, c in
                      zip(a0["line_id"].fillna(""), tahap,
                          np.nan_to_num(_num(a0["biaya_kas"], "assignments", "biaya_kas")), strict=True)]
    else:
        spend_rows = [
            (unit_of.get(p_, ""), offer.src[pindex[q]], float(c))
            for p_, q, c in zip(a_pid, a_prog, np.nan_to_num(a_cost), strict=True)
        ]
    fund = _fund._funding_state(plan, spend_rows)
    return _TopUp(
        offer=offer,
        jmin=jmin,
        needs=_person_needs(inventory),
        seats=seats,
        have=have,
        taken=taken,
        covered=covered,
        peg=peg,
        peg_by_id=peg.set_index("pegawai_id"),
        unit_of=unit_of,
        fund=fund,
    )


def _set_targets(tu: _TopUp, targets: pd.DataFrame | None, eligible: pd.DataFrame | None,
                 owed_st: tuple[str, ...]) -> None:
    """Targets, caps and eligibility of the top-up (see :func:`top_up_people`)."""
    ids = tu.peg["pegawai_id"]
    if targets is None:
        tu.owed = {p_: st in owed_st for p_, st in zip(ids, tu.peg["status"], strict=True)}
        tu.target = {p_: tu.jmin for p_, o in tu.owed.items() if o}
    else:
        _require_columns(targets, ["pegawai_id", "target_jp"], "targets")
        t_ = targets.drop_duplicates("pegawai_id").set_index(_text(targets["pegawai_id"].drop_duplicates()))
        goal = pd.to_numeric(t_["target_jp"], errors="coerce").fillna(0.0)
        tu.target = {str(p_): float(v) for p_, v in goal.items() if v > 0}
        owed = t_["owed"].astype(bool) if "owed" in t_ else goal > 0
        tu.owed = {str(p_): bool(v) for p_, v in owed.items()}
        if "cap_jp" in t_:
            cap = pd.to_numeric(t_["cap_jp"], errors="coerce").fillna(np.inf)
            tu.cap = {str(p_): float(v) for p_, v in cap.items() if np.isfinite(v)}
        if "free_only" in t_:
            tu.free_only = {str(p_) for p_, v in t_["free_only"].astype(bool).items() if v}
        if "uncounted_jp" in t_:
            for p_, v in pd.to_numeric(t_["uncounted_jp"], errors="coerce").fillna(0.0).items():
                if v > 0 and str(p_) in tu.have:
                    tu.have[str(p_)] -= float(v)
        if "unavailable_reason" in t_:
            tu.unavailable = {str(p_): str(v) for p_, v in t_["unavailable_reason"].fillna("").items() if str(v)}
    if eligible is not None:
        _require_columns(eligible, ["pegawai_id", "program_id"], "eligible")
        pidx = tu.offer.pindex
        tu.ok = {(p_, pidx[q]) for p_, q in zip(_text(eligible["pegawai_id"]), _text(eligible["program_id"]),
                                                 strict=True) if q in pidx}


def _person_needs(inventory: pd.DataFrame) -> dict[str, list[tuple[str, str, float, float]]]:
    """Needs per person, highest priority first: (competency, need type, score, priority)."""
    inv = pd.DataFrame(
        {
            "pegawai_id": _text(inventory["pegawai_id"]),
            "k": _text(inventory["kode_kompetensi"]),
            "ns": (
                _num(inventory["need_score"], "inventory", "need_score", lo=-np.inf)
                if "need_score" in inventory
                else np.full(len(inventory), np.nan)
            ),
            "pr": (
                _num(inventory["priority"], "inventory", "priority")
                if "priority" in inventory
                else np.ones(len(inventory))
            ),
            "jk": (
                _text(inventory["jenis_kebutuhan"])
                if "jenis_kebutuhan" in inventory
                else np.full(len(inventory), "kompetensi", dtype=object)
            ),
        }
    )
    inv = inv[inv["k"] != ""].sort_values(["pegawai_id", "pr", "k"], kind="mergesort")
    needs: dict[str, list[tuple[str, str, float, float]]] = {}
    for pid_, k, ns, pr, jk in inv.itertuples(index=False, name=None):
        needs.setdefault(pid_, []).append((k, jk, ns, pr))
    return needs


def _top_up_passes(tu: _TopUp, owed_ids: list[str]) -> None:
    """Pass A: free options for everyone below the minimum; pass B: paid bundles, cheapest to
    lift first (a paid bundle is committed only when it reaches the minimum)."""
    # pass A: free options for everyone below the minimum
    for p_ in owed_ids:
        if tu.have.get(p_, 0.0) < tu.goal(p_) - 1e-9:
            chosen, _, _ = tu.bundle(p_, max_tier=2)
            if chosen:
                tu.commit(p_, chosen)
    # pass B: paid bundles, cheapest to lift first
    below = [p_ for p_ in owed_ids if tu.have.get(p_, 0.0) < tu.goal(p_) - 1e-9 and p_ not in tu.free_only]
    priced = []
    for p_ in below:
        chosen, ok, cost = tu.bundle(p_, max_tier=5)
        priced.append((cost if ok else np.inf, tu.goal(p_) - tu.have.get(p_, 0.0), p_))
    for cost, _, p_ in sorted(priced):
        if not np.isfinite(cost):
            continue
        chosen, ok, _ = tu.bundle(p_, max_tier=5)
        if ok and chosen:
            tu.commit(p_, chosen)


def _below_minimum(tu: _TopUp, owed_ids: list[str], do_top_up: bool) -> pd.DataFrame:
    """Who is still below the minimum, why, and the cheapest programme proposed."""
    o_ = tu.offer
    rows_b = []
    for p_ in owed_ids:
        jp_now, jmin = tu.have.get(p_, 0.0), tu.goal(p_)
        if jp_now >= jmin - 1e-9:
            continue
        lines = tu.needs.get(p_, [])
        codes: list[str] = []
        _, reach_free, _ = tu.bundle(p_, 5, use_budget=False, use_capacity=False)
        _, reach_cap, _ = tu.bundle(p_, 5, use_budget=False, use_capacity=True)
        _, reach_all, _ = tu.bundle(p_, 5)
        away = tu.unavailable.get(p_, "")
        if away and not reach_free:  # not sent to (enough) programmes: unavailable in the plan year
            codes.append("unavailable")
        elif not lines:
            codes.append("no_need")
        if away and not reach_free:
            pass
        elif not lines and o_.general_for == "none":
            pass  # the general rule is off: the reason is the missing need itself
        elif not reach_free:  # even without money and capacity limits
            # with budget lines: enough eligible programmes exist, but no line of the person's unit
            # may pay their kind (jenis_program of anggaran); else too few eligible JP
            lined = tu.fund.mode == "lines" and tu.bundle(p_, 5, use_budget=False, use_capacity=False,
                                                          use_lines=False)[1]
            codes.append("no_line" if lined else "no_programme")
        elif not reach_cap:
            codes.append("capacity")
        elif not reach_all:
            codes.append("budget")
        else:
            codes.append("top_up_off" if not do_top_up else "lower_priority")
        # proposal: the cheapest option (a general programme for people without a need)
        opts = tu.options(p_)
        if not lines and o_.general_for == "none":
            opts = [
                (5, q, "", "umum", np.nan, np.nan) for q in o_.general
                if (p_, q) not in tu.taken and tu.allowed(p_, q)
            ]
        prop = min(
            opts,
            key=lambda o: (
                o_.cost[o[1]] / min(o_.jp[o[1]], jmin - jp_now),
                -o_.jp[o[1]],
                o_.pids[o[1]],
            ),
            default=None,
        )
        rows_b.append(
            {
                "pegawai_id": p_,
                "kode_unit": tu.unit_of.get(p_, ""),
                "status": str(tu.peg_by_id.at[p_, "status"]),
                "jp_planned": float(jp_now),
                "jp_missing": float(jmin - jp_now),
                "n_needs": len(lines),
                "reason": _reason_code(codes),
                "usulan_program": o_.pids[prop[1]] if prop is not None else "",
                "usulan_biaya": float(o_.cost[prop[1]]) if prop is not None else np.nan,
                "target_jp": float(jmin),
                "unavailable_reason": away,
            }
        )
    bcols = [
        "pegawai_id",
        "kode_unit",
        "status",
        "jp_planned",
        "jp_missing",
        "n_needs",
        "reason",
        "usulan_program",
        "usulan_biaya",
        "target_jp",
        "unavailable_reason",
    ]
    below_df = pd.DataFrame(rows_b, columns=bcols)
    for c in (
        "pegawai_id",
        "kode_unit",
        "status",
        "reason",
        "usulan_program",
        "unavailable_reason",
    ):
        below_df[c] = below_df[c].astype("str")
    below_df["n_needs"] = below_df["n_needs"].astype("int64")
    below_df.attrs["output_class"] = "restricted"
    return below_df


def _top_up_summary(
    assignment: PersonAssignment, new_rows: list[dict], n_owed: int, before: int, after: int
) -> pd.DataFrame:
    """The assignment's summary with the person-level figures of the top-up (replaced if there)."""
    n_top = len(new_rows)
    n_gen = sum(r["tahap"] == "umum" for r in new_rows)
    summ = assignment.summary.copy() if isinstance(assignment, PersonAssignment) else None
    extra_rows = {
        "pns_owed": float(n_owed),
        "pns_reaching_before_top_up": float(before),
        "pns_reaching_minimum": float(after),
        "pns_below_minimum": float(n_owed - after),
        "share_reaching": after / n_owed if n_owed else np.nan,
        "top_up_seats": float(n_top),
        "top_up_general_seats": float(n_gen),
        "top_up_cost": float(sum(r["cost"] for r in new_rows)),
    }
    if summ is None:
        summ = pd.DataFrame(
            {"metric": pd.Series([], dtype="str"), "value": pd.Series([], dtype=float)}
        )
    summ = summ[~summ["metric"].isin(list(extra_rows))]
    summ = pd.concat(
        [summ, pd.DataFrame({"metric": list(extra_rows), "value": list(extra_rows.values())})],
        ignore_index=True,
    )
    summ["metric"] = summ["metric"].astype("str")
    return summ
