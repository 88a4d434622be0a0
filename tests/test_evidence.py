"""Evidence that two clauses carry one commitment (continuity/analysis/evidence.py)."""

from __future__ import annotations

import pytest

from continuity.analysis.evidence import (
    Lexicon,
    Side,
    action_verbs,
    count_evidence,
    modifiers,
    names_other_batches,
    names_other_objects,
    shared_terms,
    weigh,
)
from continuity.analysis.vectors import word_features
from continuity.text.segment import segment


def lexicon(*words: str, min_idf: float = 5.0) -> Lexicon:
    """Every word given is distinctive (idf 8); verbs of undertaking are never evidence."""
    return Lexicon({w: 8.0 for w in words}, min_idf, action_verbs())


def side(text: str) -> Side:
    return Side.of(text, segment(text))


def words(text: str) -> frozenset[str]:
    return frozenset(word_features(segment(text)))


def test_a_nested_term_counts_once() -> None:
    # 高标准农田 holds 高标准 and 农田: one shared term, not three, and never fewer than one
    a, b = words("建设高标准农田"), words("新建高标准农田")
    lex = lexicon("高标准农田", "高标准", "农田", "标准")
    assert shared_terms(a, b, lex) == ("高标准农田",)


def test_shared_terms_most_distinctive_first_and_verbs_never() -> None:
    lex = Lexicon({"天府": 5.4, "实验室": 6.5, "建设": 9.0}, 5.0, action_verbs())
    a, b = words("建设天府实验室"), words("高水平建设天府实验室")
    assert shared_terms(a, b, lex) == ("实验室", "天府")
    assert shared_terms(frozenset({"天府"}), frozenset({"天府"}),
                        Lexicon({"天府": 4.0}, 5.0, frozenset())) == ()  # not distinctive


def test_verbs_of_striving_for_or_applying_for_something_are_never_evidence() -> None:
    # 争创 / 争取 / 获批 / 申报 say what is sought, not what: 全力争创第二批天府实验室 and
    # 争创国家级中医重点实验室 share a laboratory by kind only
    lex = lexicon("争创", "争取", "获批", "申报", "实验室", "保税区")
    assert shared_terms(words("全力争创第二批天府实验室"), words("争创国家级中医重点实验室"),
                        lex) == ("实验室",)
    assert shared_terms(words("争取获批综合保税区"), words("申报获批综合保税区"),
                        lex) == ("保税区",)


def test_verbs_of_growing_something_are_never_evidence() -> None:
    # 壮大 (发展壮大, 培育壮大) says a thing grows, not which: rural collective economy and
    # new consumption, the private economy and the county economy are other objects
    lex = lexicon("壮大", "发展壮大", "培育壮大", "新型", "县域", "民营经济")
    assert shared_terms(words("培育壮大新型农村集体经济"), words("培育壮大新型消费"),
                        lex) == ("新型",)
    assert shared_terms(words("支持民营经济发展壮大"), words("发展壮大县域经济"), lex) == ()


@pytest.mark.parametrize(
    ("a", "b", "term", "expected"),
    [
        # what follows the shared name differs on both sides: two different centres
        ("打造西部中试中心", "加快打造西部金融中心", "西部", True),
        # the shared name qualifies different heads
        ("培育“川字号”劳务品牌", "做优“川字号”农产品品牌", "川字号", True),
        ("建设国家文化出口基地", "建设国家服务出口基地", "出口", True),
        # one side adds nothing, or only a verb, an ordinal or a number
        ("推动“金通工程”全域覆盖", "深入实施新一轮农村公路提升行动和乡村运输“金通工程”", "金通工程",
         False),
        ("高标准筹备第十二届世界运动会", "办好成都世界运动会", "世界运动会", False),
        ("地区生产总值增长5.5%以上", "地区生产总值增长6%左右", "生产总值", False),
        # the word on the other side occurs in the first clause too
        ("推进成渝中线科创走廊建设", "建设成渝中线科创走廊和万达开技术创新中心", "科创走廊", False),
        ("建设西部中试中心", "建设中心", "西部", False),  # the term is not in both
        # a shared name that qualifies different heads, after the same verb
        ("加快建设智慧国资监管体系", "加快建设智慧城市", "智慧", True),
        ("建好青年发展型城市", "建设青年发展型省份", "青年", True),
        # a verb of undertaking just before the run on one side, split by the segmenter
        # (用好 → 用 / 好) and read across the brackets only one side has: 长征 is what
        # the other side adds, not a second park
        ("加快建设长征国家文化公园四川段成都片区", "建好用好国家文化公园(四川段)", "文化公园",
         False),
        # the run cuts the verbs (推进 / 促进 share 进): 推 / 促 tell nothing apart
        ("持续推进移风易俗", "促进移风易俗", "移风易俗", False),
        # an ordinal with no measure word is part of the name: the third land bridge is
        # not the new one
        ("构建第三亚欧大陆桥国际贸易枢纽", "积极融入新亚欧大陆桥", "亚欧大陆桥", True),
        ("构建第三亚欧大陆桥国际贸易枢纽", "推进第三亚欧大陆桥建设", "亚欧大陆桥", False),
        # each side qualifies the shared name with words the other lacks, though the word
        # just before it is shared elsewhere (新 / 新型) or one side's is a list word
        ("培育新型文化业态", "大力培育新产业新业态", "业态", True),
        ("推进在蓉国家重点实验室优化重组", "争创国家级中医重点实验室", "重点实验室", True),
        # only one side qualifies it: a narrower commitment, not another object
        ("加快建设四川国家重点实验室", "建设国家重点实验室", "重点实验室", False),
        # a heading's own number is no modifier
        ("第二节建设宜居宜业和美乡村", "加力建设宜居宜业和美乡村", "宜居宜业", False),
        # modifiers that differ only in their numbers (and their order) state a changed
        # number of one object: the water network grew from 5+5 to 6+6 lines
        ("构建“五纵五横”主水网骨架", "构建完善以“六横六纵”为主骨架的现代化水网", "骨架", False),
        # ...but other characters besides the numbers are other objects
        ("构建“五纵五横”主水网骨架", "构建完善以“六环六射”为主骨架的现代化水网", "骨架", True),
    ],
)
def test_names_other_objects(a: str, b: str, term: str, expected: bool) -> None:
    assert names_other_objects(side(a), side(b), term, action_verbs()) is expected


def test_modifiers_are_whole_words_read_across_quotes() -> None:
    # back from 水网 to the verb: 主, then the quoted 五纵五横 whole (not a piece of it)
    text = "构建“五纵五横”主水网骨架"
    assert modifiers(side(text), text.find("水网"), action_verbs()) == ["主", "五纵五横"]


def test_weigh_splits_terms_by_object() -> None:
    lex = lexicon("国家", "文化", "服务", "出口", "基地")
    found = weigh(side("建设国家文化出口基地"), side("建设国家服务出口基地"),
                  words("建设国家文化出口基地"), words("建设国家服务出口基地"), lex)
    # 国家 too is followed by 文化 / 服务: every shared term names a different object
    assert set(found.conflicts) == {"国家", "出口", "基地"} and found.objects_differ
    only = weigh(side("打造西部中试中心"), side("加快打造西部金融中心"),
                 words("打造西部中试中心"), words("加快打造西部金融中心"), lexicon("西部"))
    assert only.conflicts == ("西部",) and only.terms == () and only.objects_differ


def test_a_shared_run_reads_across_quotes_one_side_lacks() -> None:
    # 天府粮仓 is shared whatever the quotes; what follows it tells the two apart
    a, b = side("推进“天府”粮仓核心区"), side("推进天府粮仓示范区")
    assert names_other_objects(a, b, "天府", action_verbs()) is True
    assert names_other_objects(b, a, "天府", action_verbs()) is True
    assert names_other_objects(a, side("推进天府粮仓核心区"), "天府", action_verbs()) is False


def test_words_around_a_position_are_whole_words() -> None:
    s = side("持续推进移风易俗")
    at = s.norm.index("进")
    assert (s.word_before(at), s.word_around(at + 1), s.word_around(0)) == ("推", "推进", "")


@pytest.mark.parametrize(
    ("a", "b", "term", "expected"),
    [
        # the second batch of labs is not the labs there are
        ("规划布局第二批天府实验室", "推动天府实验室提质增效", "天府", True),
        ("公布第三批省级试点名单", "公布第二批省级试点名单", "试点", True),  # run cuts 批
        ("首批天府实验室实体化运行", "规划布局第二批天府实验室", "实验室", True),
        # the same batch, or none: 一批 is "a number of", 新一轮 "a new round"
        ("启动组建第二批天府实验室", "全力争创第二批天府实验室", "天府", False),
        ("全面推进第二批50项合作事项落地见效", "推进二批合作事项", "合作", False),
        # a round of a recurring task is the same task
        ("扎实推进第三轮中央生态环境保护督察反馈问题整改", "抓实中央生态环境保护督察反馈问题整改",
         "督察", False),
        ("建设一批幸福河湖", "创建一批美丽河湖、幸福河湖", "幸福河湖", False),
        ("实施新一轮国有企业改革深化提升行动", "深入实施国有企业改革深化提升行动", "国有企业",
         False),
    ],
)
def test_names_other_batches(a: str, b: str, term: str, expected: bool) -> None:
    assert names_other_batches(side(a), side(b), term) is expected
    assert names_other_batches(side(b), side(a), term) is expected


def test_a_name_of_another_batch_counts_as_one_term_naming_another_object() -> None:
    a, b = "规划布局第二批天府实验室", "高水平建设天府实验室"
    found = weigh(side(a), side(b), words(a), words(b), lexicon("天府", "实验室"))
    assert found.other_batch and found.objects_differ and found.counted == (1, 1)
    assert count_evidence(side(a), side(b), words(a), words(b), lexicon("天府", "实验室")) == (
        1, True)
