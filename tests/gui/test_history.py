"""View › History names each edit: whose value, which field, the old and the new."""

from alliance_planner.domain import schema
from alliance_planner.ui.models import DecisionsModel, PlanSettingsModel, RecordModel


def last_entry(document):
    stack = document.undo_stack
    return stack.text(stack.count() - 1)


def column_of(model, attr):
    return [c.attr for c in model.columns].index(attr)


def test_a_decisions_go_live_names_the_option_service_and_both_years(document):
    model = DecisionsModel(document)
    model.set_option([o.code for o in document.plan.options].index("MS"))
    go_live = column_of(model, "go_live_year")
    assert model.index(0, go_live).data() == "2027/28"
    assert model.setData(model.index(0, go_live), "2029")
    assert last_entry(document) == ("Option 'Single managed service (£70m, 10 years)': "
                                    "Service desk go-live 2027/28 → 2029/30")
    assert document.undo_stack.undoText() == last_entry(document)  # Edit › Undo says it too


def test_a_record_a_setting_and_a_cleared_value(document):
    forces = RecordModel(document, "forces", schema.COLLECTIONS["forces"].columns)
    officers = column_of(forces, "officers")
    assert forces.setData(forces.index(1, officers), "1500")
    assert last_entry(document) == "Force 'Dorset': officers 1,461 → 1,500"

    settings = PlanSettingsModel(document, schema.SETTINGS)
    rate = [c.attr for c in schema.SETTINGS].index("discount_rate")
    assert settings.setData(settings.index(rate, 0), "4")
    assert last_entry(document) == "Plan: discount rate 3.5% → 4%"

    estate = RecordModel(document, "estate", schema.COLLECTIONS["estate"].columns)
    end = column_of(estate, "contract_end")
    before = estate.index(0, end).data()
    assert before and estate.setData(estate.index(0, end), "")
    assert last_entry(document).endswith(f"contract ends {before} → blank")
    assert last_entry(document).startswith("Estate item '")


def test_a_paste_names_what_it_changed(document):
    forces = RecordModel(document, "forces", schema.COLLECTIONS["forces"].columns)
    officers, staff = column_of(forces, "officers"), column_of(forces, "staff")
    assert forces.paste([(1, officers, "1500")])
    assert last_entry(document) == "Force 'Dorset': officers 1,461 → 1,500"
    assert forces.paste([(1, officers, "1600"), (1, staff, "1000")])
    assert last_entry(document) == "Force 'Dorset': paste 2 cells"
    assert forces.paste([(0, officers, "3700"), (1, officers, "1700")])
    assert last_entry(document) == "Paste 2 cells into 2 rows of Forces"
