"""What each clause does (continuity/analysis/functions.py): cues on tiny texts, the real corpus."""

from __future__ import annotations

import re
import time
from collections import Counter
from collections.abc import Callable

import pytest
from helpers import BUNDLED_IDS

from continuity.analysis.functions import (
    COMMITMENTS,
    FUNCTIONS,
    assign_functions,
    decide_functions,
    default_cues,
    parse_cues,
)
from continuity.records import Corpus, Document, Paragraph, Section, Unit
from continuity.text.clauses import split_clauses
from continuity.text.normalize import normalize
from continuity.text.segment import segment
from continuity.text.units import sentence_spans

A, T, P = "action", "target", "principle"
R, C, PR, H = "review", "context", "procedural", "heading"


def section(kind: str = "plan", title: str = "重点工作", style: str = "heading",
            sid: str = "s0", parent: str | None = None) -> Section:
    return Section(id=sid, doc_id="d", path=(title,), parent=parent, depth=0, style=style,
                   number=None, title=title, kind=kind, start=0, heading_end=0, end=10_000)


def functions(text: str, kind: str = "plan", title: str = "重点工作",
              role: str = "text") -> list[tuple[str, str]]:
    """(clause, function) of `text` as one paragraph of a section of `kind` and `title`;
    lines are paragraphs of their own."""
    units, start = [], 0
    paragraphs = []
    for line in text.split("\n"):
        paragraphs.append(Paragraph(index=len(paragraphs), start=start, end=start + len(line),
                                    raw_lines=(len(paragraphs) + 1,)))
        spans = [(start, start + len(line))] if role != "text" else \
            sentence_spans(text, start, start + len(line))
        for a, b in spans:
            norm = normalize(text[a:b])
            units.append(Unit(id=f"u{len(units)}", doc_id="d", index=len(units), section_id="s0",
                              section_path=title, kind=kind, role=role, start=a, end=b,
                              text=text[a:b], norm=norm, tokens=segment(norm)))
        start += len(line) + 1
    clauses = split_clauses(tuple(units))
    decided = decide_functions(clauses, [section(kind, title)], paragraphs)
    return [(c.text, f) for c, f in zip(clauses, decided, strict=True)]


def labels(text: str, **kwargs: str) -> list[str]:
    return [f for _, f in functions(text, **kwargs)]


# ------------------------------------------------------------------- cues, one table per function

@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("全会由省委常委会主持。", [PR]),
        ("省委书记王晓晖作了讲话。", [PR]),
        ("出席全会的有，省委委员79人，候补省委委员15人。", [PR, PR, PR]),
        ("中国共产党四川省第十二届委员会第二次全体会议，于2022年11月28日至29日在成都举行。",
         [PR, PR]),
        ("全会听取和讨论了省委常委会的工作报告，审议通过了《决定》。", [PR, PR]),
        ("就扎实推进高质量发展进行了研究，作出如下决定。", [PR, PR]),
        ("（2024年5月13日中国共产党四川省第十二届委员会第五次全体会议通过）", [PR]),
        ("各位代表：", [PR]),
    ],
)
def test_procedural(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a central meeting described, its assessment carried over the sentence
        ("全会指出，党的二十大是在关键时刻，召开的一次十分重要的大会。", [C, C]),
        ("党的二十大深刻阐述了中国式现代化的本质要求，为我国现代化建设提供了方向指引。", [C, C]),
        # a verb with 了 reports what was done: it opens no undertaking (制定了 / 制定)
        # the leader's words are his, not the issuer's undertakings (强调要 is reported)
        ("习近平总书记对四川工作高度重视，多次作出重要指示，强调要推动治蜀兴川再上新台阶。",
         [C, C, C]),
        # a time phrase before a central subject takes its function
        ("在西部大开发战略提出25周年的重要节点，习近平总书记主持召开座谈会。", [C, C]),
        ("党的十八大以来，习近平总书记作出一系列战略部署。", [C, C]),
        # framing and significance
        ("这是推进现代化建设的必然要求。", [C]),
        ("农业现代化对四川具有特殊重要的意义，必须坚持农业农村优先发展。", [C, P]),
        ("从国际看，世界百年变局加速演进，不确定难预料因素增多。", [C, C]),
        # the situation: now, pressures, problems that remain
        ("当前外部环境复杂严峻，经济运行面临不少困难。", [C, C]),
        ("发展不平衡不充分问题仍然存在。", [C]),
        # where things stand: a starting point, a juncture (the undertaking after it commits)
        ("站在新的历史起点，必须抢抓机遇，加快发展新质生产力。", [C, P, A]),
        ("处在爬坡过坎的关键时期，加快建设现代化产业体系。", [C, A]),
        # an assessment X是Y; its subject split off by a comma takes it too
        ("全面建设社会主义现代化四川，是新时代治蜀兴川的总目标总任务。", [C, C]),
        ("城镇化是现代化的必由之路，必须坚持以人为核心的新型城镇化，推进县城城镇化建设。",
         [C, P, A]),
        # an assessment ends where an undertaking opens a clause
        ("守护妇女儿童平安幸福就是守护万家灯火，深入落实妇女儿童发展纲要，实施女性行动。",
         [C, A, A]),
        # 是 in an enumerator, a list opener or a stance's object is no assessment
        ("一是聚焦重大要求，推动各项重点任务落地落实。", [P, A]),
        ("深入践行绿水青山就是金山银山的理念，协同推进降碳减污。", [A, A]),
    ],
)
def test_context(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("过去一年，我们成功举办大运会，经济总量突破2.2万亿元。", [R, R]),
        ("全会充分肯定省委常委会的工作。", [R]),
        ("当前，全省经济总量已经迈上六万亿元台阶，发展质量和效益大幅提升。", [R, R]),
        # a retrospect carries over its paragraph, until an undertaking
        ("一年来，我们坚持稳中求进。在省委坚强领导下，统筹发展和安全，推动各项事业取得新进展。"
         "我们要再接再厉，加快建设现代化产业体系。", [R, R, R, R, A, A]),
        # nor past a sentence that opens with an undertaking
        ("过去一年，我们成功举办大运会。加快建设天府粮仓，深化国资国企改革。", [R, A, A]),
        # nor into the next paragraph
        ("一年来，我们坚持稳中求进。\n加快建设天府粮仓。", [R, A]),
        # a completed verb in a sentence not already narrative
        ("全市经济实现了回升向好。", [R]),
        # … but not inside a quoted slogan
        ("让更多人感受到“来了就不想走”的城市魅力。", [P]),
    ],
)
def test_review(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("地区生产总值增长5.5%以上；城镇新增就业85万人。", [T, T]),
        ("新建智能工厂和数字化车间100个以上，居民消费价格指数控制在103左右。", [T, T]),
        ("到2030年，全省常住人口城镇化率达到65%。", [T, T]),
        # a dated goal opens a run of targets; an outcome is a target, an undertaking not
        ("到2027年，全省综合实力持续提升，发展新质生产力取得新进展，加快建设现代化产业体系。",
         [T, T, T, A]),
        ("经济总量再跨两个万亿元台阶。", [T]),
        # a name with a number is no target
        ("实施“碳达峰十大行动”，打造5分钟消防救援圈，举办第四届公园城市论坛。", [A, A, A]),
        # a list of goals
        ("今年全市经济社会发展的主要预期目标是：居民收入稳步增长，城乡收入差距进一步缩小。",
         [T, T, T]),
    ],
)
def test_target(text: str, expected: list[str]) -> None:
    assert labels(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("坚持稳中求进工作总基调，完整准确全面贯彻新发展理念。", [P, P]),
        ("以习近平新时代中国特色社会主义思想为指导，深化国资国企改革。", [P, A]),
        ("必须坚持党的全面领导。", [P]),
        ("全省上下要始终保持战略定力。", [P]),
        ("奋力谱写中国式现代化四川新篇章。", [P]),
        ("加快建设天府粮仓，深化国资国企改革，培育世界一流企业。", [A, A, A]),
        # in a guideline section (总体要求) commitments are stances unless targets
        ("扎实推进成渝地区双城经济圈建设，推动经济持续回升向好。", [P, P]),
    ],
)
def test_principle_and_action(text: str, expected: list[str]) -> None:
    title = "总体要求" if text.startswith("扎实") else "重点工作"
    assert labels(text, title=title) == expected


@pytest.mark.parametrize(
    ("text", "kind", "title", "expected"),
    [
        # a review section is review, whatever its words, except the centre and the situation
        ("坚持稳中求进工作总基调，统筹发展和安全。", "review", "工作回顾", [R, R]),
        ("2023年是极不平凡的一年。", "review", "工作回顾", [R]),
        ("习近平总书记再次亲临四川视察指导，作出重要指示。", "review", "工作回顾", [C, C]),
        ("当前城市发展还面临一些问题短板：产业发展能级有待提升。", "review", "工作回顾", [C, C]),
        # a situation section (面临环境) assesses; an undertaking still commits
        ("推动经济社会发展既有战略机遇又有风险挑战。", "review", "面临环境", [C]),
        ("全省上下要始终保持专注发展战略定力。", "review", "面临环境", [P]),
        # a glossary defines; what a definition quotes commits to nothing
        ("指全党同志务必不忘初心、牢记使命。", "glossary", "名词解释", [C]),
        # the title block: lines are headings, meeting notes procedural
        ("中共四川省委", "preamble", "题头", [H]),
        ("正式发布!", "preamble", "题头", [H]),
        ("在成都市第十八届人民代表大会第二次会议上", "preamble", "题头", [PR]),
        # notes under a table
        ("注：带*的为2025年预计数。", "table", "专栏1", [C]),
    ],
)
def test_sections(text: str, kind: str, title: str, expected: list[str]) -> None:
    assert labels(text, kind=kind, title=title) == expected


@pytest.mark.parametrize(
    ("text", "role", "expected"),
    [
        ("（十八）深入实施创新驱动发展战略。", "heading", [H]),
        ("1.地区生产总值增长(%)\t5.5\t—\t5.5左右\t预期性", "row", [T]),
        ("类别\t指标\t2025年\t2030年\t属性", "row", [H]),
    ],
)
def test_roles(text: str, role: str, expected: list[str]) -> None:
    assert labels(text, kind="table" if role == "row" else "plan", role=role) == expected


def test_leads_numbered_or_boxed_are_headings_unnumbered_ones_are_read() -> None:
    parent = section("plan", "重点工作", sid="p")
    numbered = section("plan", "（一）", style="paren-number", sid="s0", parent="p")
    plain = section("plan", "提升防灾减灾救灾能力", style="lead", sid="s0", parent="p")
    box = section("plan", "专栏12", style="box", sid="b", parent="p")
    boxed = section("plan", "学科建设工程", style="lead", sid="s0", parent="b")
    text = "提升防灾减灾救灾能力。"
    unit = Unit(id="u0", doc_id="d", index=0, section_id="s0", section_path="x", kind="plan",
                role="lead", start=0, end=len(text), text=text, norm=normalize(text),
                tokens=segment(normalize(text)))
    clauses = split_clauses((unit,))
    paragraphs = [Paragraph(0, 0, len(text), (1,))]
    for own, expected in ((numbered, H), (plain, A), (boxed, H)):
        assert decide_functions(clauses, [parent, box, own], paragraphs) == [expected]


def test_cues_come_from_the_data_file() -> None:
    """A different data file changes the decisions, no code involved."""
    cues = parse_cues("""
[sections]
kinds = { plan = "commitment" }
[[signal]]
name = "review-word"
function = "review"
carry = "sentence"
patterns = ['回顾']
[commitment]
target = ['\\d']
""")
    text = "回顾往年的工作，加快建设天府粮仓。今年完成3项。"
    units = [Unit(id=f"u{k}", doc_id="d", index=k, section_id="s0", section_path="x",
                  kind="plan", role="text", start=a, end=b, text=text[a:b],
                  norm=normalize(text[a:b]), tokens=segment(normalize(text[a:b])))
             for k, (a, b) in enumerate(sentence_spans(text, 0, len(text)))]
    clauses = split_clauses(tuple(units))
    paragraphs = [Paragraph(0, 0, len(text), (1,))]
    assert decide_functions(clauses, [section()], paragraphs, cues) == [R, R, T]
    with pytest.raises(ValueError, match="carry"):
        parse_cues('[[signal]]\nname = "x"\nfunction = "review"\ncarry = "far"\npatterns = []')


def test_assign_functions_fills_the_field_and_keeps_the_rest() -> None:
    text = "加快建设天府粮仓，地区生产总值增长5%。"
    unit = Unit(id="u0", doc_id="d", index=0, section_id="s0", section_path="x", kind="plan",
                role="text", start=0, end=len(text), text=text, norm=normalize(text),
                tokens=segment(normalize(text)))
    clauses = split_clauses((unit,))
    assert all(c.function == "" for c in clauses)  # the clauses stage leaves it empty
    done = assign_functions(clauses, [section()], [Paragraph(0, 0, len(text), (1,))])
    assert [c.function for c in done] == [A, T]
    for before, after in zip(clauses, done, strict=True):
        assert (after.id, after.text, after.tokens, after.unit_id) == \
            (before.id, before.text, before.tokens, before.unit_id)


# ------------------------------------------------------------------------------ the corpus

def clause_with(doc: Document, text: str) -> str:
    matches = [c.function for c in doc.clauses if text in c.text]
    assert matches, text
    return matches[0]


def test_every_clause_of_the_corpus_has_a_function(corpus: Corpus) -> None:
    assert corpus.ids == BUNDLED_IDS
    for document in corpus.documents:
        found = Counter(c.function for c in document.clauses)
        assert set(found) <= set(FUNCTIONS), document.id
        assert sum(found[f] for f in COMMITMENTS) > len(document.clauses) / 3


def test_the_plenum_communique(doc: Callable[[str], Document]) -> None:
    decision = doc("2022-decision")
    assert clause_with(decision, "省委委员79人") == PR
    assert clause_with(decision, "于2022年11月28日至29日在成都举行") == PR
    assert clause_with(decision, "全会由省委常委会主持") == PR
    assert clause_with(decision, "全会指出，党的二十大是") == C
    assert clause_with(decision, "召开的一次十分重要的大会") == C
    assert clause_with(decision, "四川走过了一段极为不易") == R
    assert clause_with(decision, "统筹疫情防控和经济社会发展") == R
    assert clause_with(decision, "着力构建粮经统筹、农牧并重") == A
    assert clause_with(decision, "必须充分考虑不同地区禀赋条件") == P


def test_the_decision_opens_with_context(doc: Callable[[str], Document]) -> None:
    decision = doc("2022-decision")
    opening = next(c for c in decision.clauses if c.kind == "plan" and c.role == "text")
    assert opening.text.startswith("党的二十大是") and opening.function == C


def test_the_chengdu_review_is_review(doc: Callable[[str], Document]) -> None:
    """The 2023 review's six achievement parts: every clause is review; the rest of the
    review section holds the centre, thanks, problems and a closing pledge."""
    chengdu = doc("2024-chengdu")
    parts = [c for c in chengdu.clauses if c.role != "heading"
             and re.match(r"2023年工作回顾/\([一二三四五六]\)", c.section_path)]
    assert len(parts) > 300
    assert {c.function for c in parts} == {R}


def test_plan_targets_and_background(doc: Callable[[str], Document]) -> None:
    plan = doc("15th-plan")
    assert clause_with(plan, "到2035年实现全省经济实力") == T
    assert clause_with(plan, "农村自来水普及率达到") == T
    assert clause_with(plan, "经济总量跨过两个万亿元大关") == R
    assert clause_with(plan, "从国际看，世界百年变局加速演进") == C
    situation = [c.function for c in plan.clauses if c.section_path.endswith("第二节")
                 and c.section_path.startswith("第一篇/第一章") and c.role == "text"]
    assert Counter(situation).most_common(1)[0][0] == C


def test_the_corpus_is_classified_fast(corpus: Corpus) -> None:
    """Cue lists and regular expressions, no part-of-speech tagging: milliseconds."""
    began = time.perf_counter()
    for document in corpus.documents:
        decide_functions(document.clauses, document.sections, document.clean.paragraphs)
    assert time.perf_counter() - began < 0.5  # about 0.03 s; generous for slow machines


def test_cues_are_cached() -> None:
    assert default_cues() is default_cues()


def test_a_verb_with_le_reports_what_was_done_in_the_communique(analysis) -> None:
    # 制定 opens undertakings, but 制定了 reports what the Party Congress did: the
    # description of the Congress carries on (the check set labels it context)
    [clause] = [c for c in analysis.result.clauses if c.doc_id == "2022-decision"
                and c.norm.startswith(normalize("制定了当前和今后一个时期党和国家的大政方针"))]
    assert clause.function == C
