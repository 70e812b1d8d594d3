"""Hypothesis strategies that build valid plans of any shape."""

from datetime import date

from hypothesis import strategies as st

from alliance_planner.domain.model import (
    Decision,
    EstateItem,
    Force,
    Mode,
    Option,
    OptionRole,
    Plan,
    Service,
    SharingBasis,
    Site,
    SiteAction,
)

money = st.floats(min_value=0, max_value=5e7, allow_nan=False).map(lambda x: round(x, 2))
fte = st.floats(min_value=0, max_value=500, allow_nan=False).map(lambda x: round(x, 1))
# Text as a plan holds it: a blank or all-space entry is stored as "" (the window, the
# template and import all take it as blank), so the strategy draws "" for one.
text = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")),
               max_size=30).map(lambda s: s if s.strip() else "")


@st.composite
def plans(draw, max_forces=4, max_services=4, max_options=4):
    base = draw(st.integers(2020, 2030))
    horizon = draw(st.integers(2, 12))
    years = st.integers(base, base + horizon - 1)
    n_f = draw(st.integers(1, max_forces))
    n_s = draw(st.integers(1, max_services))
    forces = tuple(
        Force(f"F{i}", draw(text.filter(str.strip)) or f"Force {i}",
              officers=draw(st.integers(1, 30000)), staff=draw(st.integers(0, 10000)),
              population=draw(st.integers(1, 9_000_000)), agreed_share=None)
        for i in range(n_f)
    )
    services = tuple(Service(f"S{i}", f"Service {i}") for i in range(n_s))
    estate = tuple(
        EstateItem(f.code, s.code, supplier=draw(text), annual_running_cost=draw(money),
                   support_fte=draw(fte),
                   contract_end=draw(st.none() | st.dates(date(base, 1, 1),
                                                          date(base + horizon + 2, 1, 1))))
        for f in forces for s in services if draw(st.booleans())
    )
    sites = tuple(Site(f"C{i}", f"Site {i}", draw(st.sampled_from(forces)).code,
                       annual_running_cost=draw(money)) for i in range(draw(st.integers(0, 2))))

    def decision(service: Service) -> Decision:
        go_live = draw(years)
        k = draw(st.integers(1, go_live - base + 1))
        members = draw(st.lists(st.sampled_from([f.code for f in forces]), unique=True))
        return Decision(
            service.code, draw(st.sampled_from(list(Mode))), forces=tuple(members),
            go_live_year=go_live, transition_cost=draw(money),
            transition_profile=tuple([1.0 / k] * (k - 1) + [1.0 - (k - 1) / k]),
            exit_cost=draw(money), shared_running_cost=draw(money),
            shared_support_fte=draw(fte),
            officer_hours_per_week=draw(st.floats(0, 5000).map(lambda x: round(x))),
            other_savings=draw(money), optimism_bias=draw(st.sampled_from([0, 0.1, 0.41, 2])),
            running_optimism_bias=draw(st.sampled_from([0, 0.41])),
        )

    options = [Option("O0", "Business as usual", OptionRole.BASELINE)]
    for i in range(1, draw(st.integers(2, max_options))):
        chosen = draw(st.lists(st.sampled_from(services), unique_by=lambda s: s.code))
        actions = tuple(SiteAction(c.code, draw(years), draw(money), draw(money))
                        for c in sites if draw(st.booleans()))
        options.append(Option(f"O{i}", f"Option {i}", OptionRole.OTHER,
                              decisions=tuple(decision(s) for s in chosen),
                              site_actions=actions))
    basis = draw(st.sampled_from([SharingBasis.OFFICERS, SharingBasis.POPULATION,
                                  SharingBasis.EQUAL]))
    return Plan(
        name=draw(text.filter(str.strip)) or "Plan",
        base_year=base, horizon_years=horizon,
        discount_rate=draw(st.sampled_from([0.0, 0.035, 0.1])),
        sharing_basis=basis, cost_per_officer_hour=draw(st.sampled_from([0.0, 40.0])),
        cost_per_staff_fte=draw(st.sampled_from([0.0, 45_000.0])),
        forces=forces, services=services, estate=estate, options=tuple(options), sites=sites,
    )
