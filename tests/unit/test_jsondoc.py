"""The command line's JSON: the same document as json writes, indented around its lists."""

import json

from hypothesis import given
from hypothesis import strategies as st

from alliance_planner import jsondoc, samples
from alliance_planner.domain.summary import summarise

scalars = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
documents = st.recursive(scalars, lambda inner: st.lists(inner, max_size=4)
                         | st.dictionaries(st.text(), inner, max_size=4), max_leaves=30)


@given(documents)
def test_any_document_reads_back_as_itself(doc):
    assert json.loads(jsondoc.dumps(doc)) == doc


def test_a_summary_keeps_its_structure_indented_and_each_line_of_figures_on_one_line():
    doc = summarise(samples.build("south-west-alliance"))
    text = jsondoc.dumps(doc)
    assert json.loads(text) == json.loads(json.dumps(doc))
    assert '\n  "options": [\n    {\n      "code": "BAU",' in text
    assert f'"years": {json.dumps(doc["years"])}' in text


def test_control_characters_and_other_scripts_are_escaped():
    text = jsondoc.dumps({"name\x1b": ["\x1b[2J", "Café \u202e"]})
    assert "\x1b" not in text and "\u202e" not in text and "\\u001b[2J" in text
