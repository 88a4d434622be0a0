"""continuity.report.fragments: the row pieces of the big pages, escaped, in each language."""

from __future__ import annotations

import jinja2
import markupsafe
import pytest

from continuity.analysis.changes import Change
from continuity.analysis.history import Step
from continuity.output.report import environment
from continuity.output.report.fragments import (
    change_labels,
    escape,
    fast_escaper,
    fate_badges,
    in_state,
    redline,
    relation_badges,
)
from continuity.output.report.words import FATE_LABELS, RELATION_LABELS
from continuity.text.diffing import DiffSpan


class _Html:
    def __html__(self) -> str:
        return "<b>safe</b>"


class _Text(str):
    pass


ESCAPED = ["推进<script>&'\"", "", markupsafe.Markup("<i>已标记</i>"), _Html(), _Text("<子类>"),
           3, 0.25, None, ("<",)]


@pytest.mark.parametrize("value", ESCAPED)
def test_escape_is_markupsafes(value: object) -> None:
    """The pages' escaping (`fast_escaper`, on markupsafe's C escaping of a string)
    gives what markupsafe.escape gives, a Markup, for text and anything else."""
    fast = fast_escaper(markupsafe._escape_inner)  # type: ignore[attr-defined]
    for made in (fast(value), escape(value)):
        assert type(made) is markupsafe.Markup
        assert made == markupsafe.escape(value)


def test_templates_escape_with_the_pages_escape() -> None:
    env = environment()
    page = env.from_string("{{ x }}|{{ y }}")
    assert page.root_render_func.__globals__["escape"] is escape
    assert page.render(x="<a href='x'>&</a>", y=markupsafe.Markup("<br>")) == (
        "&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;|<br>")


def test_redline_marks_changes_and_escapes_text() -> None:
    spans = (DiffSpan("equal", "推进"), DiffSpan("delete", "<b>旧</b>"), DiffSpan("insert", "新&"))
    assert str(redline(spans, "delete")) == "推进<del>&lt;b&gt;旧&lt;/b&gt;</del>"
    assert str(redline(spans, "insert")) == "推进<ins>新&amp;</ins>"
    assert str(redline((), "insert")) == ""


@pytest.mark.parametrize(("lang", "emerges", "same"), [("en", "新 emerges", "same"),
                                                      ("zh", "新增", "相同")])
def test_badges_name_every_fate_and_relation_in_the_language(lang: str, emerges: str,
                                                             same: str) -> None:
    fates, relations = fate_badges(lang), relation_badges(lang)
    assert set(fates) == set(FATE_LABELS) and set(relations) == set(RELATION_LABELS)
    assert fates["emerges"] == f'<span class="fate fate-emerges">{emerges}</span>'
    assert relations["same"] == f'<span class="rel rel-same">{same}</span>'


def test_change_labels_escape_the_words_involved() -> None:
    html = change_labels((Change("qualifier", "added", (), ('"左右"&',)),), "en")
    assert html == ('<span class="change change-qualifier change-added" '
                    'title="+&#34;左右&#34;&amp;">qualifier added</span>')
    assert change_labels((), "en") == ""


def test_in_state_keeps_the_steps_in_order() -> None:
    steps = (Step("a", "present"), Step("b", "absent"), Step("c", "elsewhere"),
             Step("d", "absent"))
    assert [s.doc_id for s in in_state(steps, "absent")] == ["b", "d"]
    assert in_state(steps, "first") == []


def test_site_helpers_as_filters_are_the_globals_escaped() -> None:
    env = environment(lang="en")
    env.globals["cite"] = lambda clause: f"<{clause}>"
    page = env.from_string("{{ 'x'|cite }} {{ cite('x') }}")
    assert page.render() == "&lt;x&gt; &lt;x&gt;"
    env.globals.pop("cite")
    with pytest.raises(KeyError):  # no site installed its helpers
        env.from_string("{{ 'x'|cite }}").render()


def test_the_environment_rejects_an_unknown_badge() -> None:
    env = environment(lang="en")
    with pytest.raises(KeyError):
        env.from_string("{{ 'nonsense'|fate_badge }}").render()
    assert isinstance(env.filters["fate_badge"]("persists"), jinja2.runtime.Markup)
