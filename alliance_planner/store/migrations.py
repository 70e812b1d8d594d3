"""The plan file's tables and the forward migrations between its versions.

``PRAGMA user_version`` is the schema version. MIGRATIONS[n] takes a file from version n
to n + 1; a new file runs them all. Never edit a released migration: add the next one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

V1 = """
CREATE TABLE plan (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    name TEXT NOT NULL,
    alliance TEXT NOT NULL DEFAULT '',
    base_year INTEGER NOT NULL,
    horizon_years INTEGER NOT NULL,
    discount_rate REAL NOT NULL,
    sharing_basis TEXT NOT NULL,
    cost_per_officer_hour REAL NOT NULL,
    cost_per_staff_fte REAL NOT NULL,
    visible_hours_per_officer_week REAL NOT NULL,
    weeks_per_year REAL NOT NULL,
    savings_target REAL,
    savings_target_years INTEGER,
    notes TEXT NOT NULL DEFAULT ''
);
CREATE TABLE sources (
    key TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    detail TEXT NOT NULL DEFAULT '',
    url TEXT NOT NULL DEFAULT '',
    is_assumption INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE forces (
    code TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    officers REAL NOT NULL,
    staff REAL NOT NULL,
    pcsos REAL NOT NULL,
    specials REAL NOT NULL,
    population REAL NOT NULL,
    incidents REAL,
    recorded_crimes REAL,
    net_revenue_budget REAL,
    agreed_share REAL,
    source TEXT NOT NULL DEFAULT ''
);
CREATE TABLE services (
    code TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    category TEXT NOT NULL
);
CREATE TABLE estate_items (
    force TEXT NOT NULL REFERENCES forces(code) ON UPDATE CASCADE ON DELETE CASCADE,
    service TEXT NOT NULL REFERENCES services(code) ON UPDATE CASCADE ON DELETE CASCADE,
    position INTEGER NOT NULL,
    supplier TEXT NOT NULL DEFAULT '',
    platform TEXT NOT NULL DEFAULT '',
    annual_running_cost REAL NOT NULL,
    support_fte REAL NOT NULL,
    contract_end TEXT,
    users REAL NOT NULL,
    condition TEXT NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (force, service)
);
CREATE TABLE options (
    code TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT ''
);
CREATE TABLE decisions (
    option TEXT NOT NULL REFERENCES options(code) ON UPDATE CASCADE ON DELETE CASCADE,
    service TEXT NOT NULL REFERENCES services(code) ON UPDATE CASCADE ON DELETE CASCADE,
    position INTEGER NOT NULL,
    mode TEXT NOT NULL,
    forces TEXT NOT NULL DEFAULT '[]',
    platform TEXT NOT NULL DEFAULT '',
    go_live_year INTEGER,
    transition_cost REAL NOT NULL,
    transition_profile TEXT NOT NULL DEFAULT '[1.0]',
    exit_cost REAL NOT NULL,
    shared_running_cost REAL NOT NULL,
    shared_support_fte REAL NOT NULL,
    officer_hours_per_week REAL NOT NULL,
    other_savings REAL NOT NULL,
    optimism_bias REAL NOT NULL,
    running_optimism_bias REAL NOT NULL,
    cost_low REAL NOT NULL,
    cost_high REAL NOT NULL,
    benefit_low REAL NOT NULL,
    benefit_high REAL NOT NULL,
    source TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (option, service)
);
CREATE TABLE sites (
    code TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    force TEXT NOT NULL REFERENCES forces(code) ON UPDATE CASCADE ON DELETE CASCADE,
    annual_running_cost REAL NOT NULL,
    source TEXT NOT NULL DEFAULT ''
);
CREATE TABLE site_actions (
    option TEXT NOT NULL REFERENCES options(code) ON UPDATE CASCADE ON DELETE CASCADE,
    site TEXT NOT NULL REFERENCES sites(code) ON UPDATE CASCADE ON DELETE CASCADE,
    position INTEGER NOT NULL,
    closure_year INTEGER NOT NULL,
    disposal_receipt REAL NOT NULL,
    closure_cost REAL NOT NULL,
    PRIMARY KEY (option, site)
);
CREATE TABLE versions (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    note TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL,
    plan_json TEXT NOT NULL
);
"""


V2 = """
ALTER TABLE plan ADD COLUMN pool_exit_fees INTEGER NOT NULL DEFAULT 0;
ALTER TABLE plan ADD COLUMN severance_months REAL NOT NULL DEFAULT 12.0;
ALTER TABLE plan ADD COLUMN turnover_share REAL NOT NULL DEFAULT 0.3;
ALTER TABLE plan ADD COLUMN deflator_growth REAL NOT NULL DEFAULT 0.02;
ALTER TABLE estate_items ADD COLUMN exit_fee REAL NOT NULL DEFAULT 0.0;
ALTER TABLE estate_items ADD COLUMN exit_remaining_share REAL NOT NULL DEFAULT 0.0;
ALTER TABLE estate_items ADD COLUMN price_year INTEGER;
ALTER TABLE decisions ADD COLUMN ob_category TEXT NOT NULL DEFAULT 'stated';
ALTER TABLE decisions ADD COLUMN ob_mitigation REAL NOT NULL DEFAULT 0.0;
ALTER TABLE decisions ADD COLUMN running_ob_category TEXT NOT NULL DEFAULT 'stated';
ALTER TABLE decisions ADD COLUMN running_ob_mitigation REAL NOT NULL DEFAULT 0.0;
ALTER TABLE decisions ADD COLUMN ob_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE decisions ADD COLUMN benefit_realisation REAL NOT NULL DEFAULT 1.0;
ALTER TABLE decisions ADD COLUMN benefit_ramp TEXT NOT NULL DEFAULT '[1.0]';
ALTER TABLE decisions ADD COLUMN asset_life REAL NOT NULL DEFAULT 0.0;
ALTER TABLE decisions ADD COLUMN transfer_share REAL NOT NULL DEFAULT 0.0;
ALTER TABLE decisions ADD COLUMN price_year INTEGER;
ALTER TABLE sites ADD COLUMN market_value REAL NOT NULL DEFAULT 0.0;
ALTER TABLE sites ADD COLUMN price_year INTEGER;
CREATE TABLE deflators (
    year INTEGER PRIMARY KEY,
    position INTEGER NOT NULL,
    "index" REAL NOT NULL,
    source TEXT NOT NULL DEFAULT ''
);
"""
"""Format 2: the appraisal a finance reviewer signs off. Exit fees on the contracts they end,
price years and the deflators that convert them, optimism bias by Green Book category,
benefits that ramp up, severance, residual values. A format-1 plan reads exactly as before:
every new column's default changes nothing it computed, but severance."""


V3 = """
ALTER TABLE plan ADD COLUMN budget_per_year REAL;
ALTER TABLE plan ADD COLUMN max_concurrent INTEGER;
ALTER TABLE plan ADD COLUMN allow_early_exits INTEGER NOT NULL DEFAULT 1;
CREATE TABLE service_links (
    service TEXT NOT NULL REFERENCES services(code) ON UPDATE CASCADE ON DELETE CASCADE,
    other TEXT NOT NULL REFERENCES services(code) ON UPDATE CASCADE ON DELETE CASCADE,
    position INTEGER NOT NULL,
    kind TEXT NOT NULL,
    PRIMARY KEY (service, other)
);
"""
"""Format 3: the limits of the roadmap optimiser. A format-2 plan reads as before, with no
cap on spend or on changes at once, early exits allowed and no service links."""


V4 = """
ALTER TABLE versions ADD COLUMN created_by TEXT NOT NULL DEFAULT '';
CREATE TABLE changes_log (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    by TEXT NOT NULL DEFAULT '',
    what TEXT NOT NULL,
    file TEXT NOT NULL DEFAULT '',
    checksum TEXT NOT NULL DEFAULT '',
    detail TEXT NOT NULL DEFAULT ''
);
"""
"""Format 4: who kept each named version, and a log of what came into the plan from outside
it (imports, forces' returns merged, versions restored): when, by whom, from which file and
its SHA-256. A format-3 plan reads as before, its versions by nobody named."""


V5 = """
ALTER TABLE plan ADD COLUMN marking TEXT NOT NULL DEFAULT 'OFFICIAL';
"""
"""Format 5: the plan's protective marking, printed on the board summary and the pack. A
plan of format 4 or before is OFFICIAL."""


def _run(script: str) -> Callable[[sqlite3.Connection], None]:
    def migrate(conn: sqlite3.Connection) -> None:
        for statement in script.split(";"):
            if statement.strip():
                conn.execute(statement)
    return migrate


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_run(V1), _run(V2), _run(V3),
                                                          _run(V4), _run(V5)]


def schema_version() -> int:
    return len(MIGRATIONS)
