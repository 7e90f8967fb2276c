"""Commitments read from replies (corpus.commitments): real sentences of the seeds and of the
public replies, deadlines relative to the reply's date, and the bad input the reader must refuse."""
from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cli import main
from corpus.clauses import clause_spans
from corpus.commitments import MAX_CHARS, find_commitments, find_deadline

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "seeds"


def commitments(text: str, issuer: str | None = "某某局", date: str | None = "2019-06-01"):
    return find_commitments(text, clause_spans(text), issuer, date)


def test_the_2023_reply_lists_the_four_items_of_its_next_steps_section_with_clause_and_deadline():
    result = CliRunner().invoke(main, ["parse", "--json", str(SEEDS / "003_e2458defcac5246b.txt")])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output.splitlines()[0])
    found = record["commitments"]
    assert [c["clause"] for c in found] == ["二/(一)", "二/(二)", "二/(三)", "二/(四)"]
    assert found[0]["text"].startswith("（一）持续性做好时尚产业规划引领和落地实施")
    assert found[0]["deadline"] == "2023-12-31" and found[0]["found_in"] == "section"
    assert found[1]["deadline"] is None
    assert "clauses" in record and "citations" in record  # the record keeps its keys


def test_the_2020_reply_splits_its_paragraph_of_next_steps_into_its_three_items():
    result = CliRunner().invoke(main, ["parse", "--json", str(SEEDS / "000_e19b846f0357647c.txt")])
    found = json.loads(result.output.splitlines()[0])["commitments"]
    section = [c for c in found if c["found_in"] == "section"]
    assert [c["text"][:2] for c in section] == ["一是", "二是", "三是"]
    assert all(c["body"] == "深圳市工业和信息化局" for c in section)
    assert not any("感谢" in c["text"] for c in found)  # 再次感谢您对时尚产业发展的关心与支持！
    named = {c["body"] for c in found if c["found_in"] == "sentence"}
    assert {"深圳市各职能部门", "各区政府"} <= named


def test_a_citizen_reply_commits_the_body_its_sentence_names():
    text = ("经相关单位协商，只要该片区自来水安装的资金落实，且该片区工农矛盾协调到位，市自来水公司将尽快组织"
            "人员进场施工，并将该片区纳入城市统一供水房屋，以解决该片区生活饮用水质量问题。")
    [found] = commitments(text)
    assert found.body == "市自来水公司" and found.text.startswith("经相关单位协商")


def test_a_subjectless_next_step_is_the_issuers_and_its_month_end_is_read_in_the_replys_year():
    text = ("8月15日，区公路局组织人员到现场进行了踏勘。目前已拟定了技术处理和设施修复方案，将尽快组织实施，"
            "确保在9月底前完成。感谢您对我们工作的支持、理解与监督！")
    [found] = commitments(text, issuer="某区交通运输局", date="2018-09-13")
    assert found.deadline == "2018-09-30" and found.body == "某区交通运输局"


def test_courtesies_reports_back_forecasts_and_the_preposition_are_no_commitments():
    text = ("感谢你长期以来对全市教育工作的关心，真诚欢迎大家继续监督我市教育工作！"
            "办理情况我办将在第一时间回复。"
            "随着城市的发展和A7县城乡公交一体化的推进，A7县公交线路将会日趋完善和优化。"
            "周某表示今后会按照要求规范卖书，不再占道经营。"
            "在拆迁过程中，根据我区最新政策，将您及子女列入吴某强户人口进行征拆补偿方案计算。"
            "活动前，街道与业主代表联系沟通，获得同意后，将活动地址定在该小区。")
    assert commitments(text) == []


def test_a_reply_with_no_commitment_has_none():
    text = "现将有关情况回复如下：经查，该路段已于2019年3月完成改造，现已通车。"
    assert commitments(text) == []


def test_a_courtesy_closing_a_commitment_is_cut_off():
    text = "3、一切夜间超时施工行为都为违法违规行为，我局也将秉公处理，感谢您的宝贵意见，并继续支持、理解环保工作。"
    [found] = commitments(text)
    assert found.text.endswith("我局也将秉公处理。")


def test_a_date_that_does_not_exist_or_is_before_the_reply_is_no_deadline():
    assert find_deadline("我局将于2024年2月30日前完成改造", "2024-01-10") == (None, None)
    assert find_deadline("我局将于2018年5月底前完成改造", "2018-09-13") == (None, None)
    assert find_deadline("我局将于2024年2月29日前完成改造", "2024-01-10") == ("2024-02-29", "2024年2月29日")
    assert find_deadline("力争2024年底前建成", "2023-05-01")[0] == "2024-12-31"
    assert find_deadline("三年内完成全部改造", "2020-06-28")[0] == "2023-06-28"
    assert find_deadline("年内出台实施办法", "2021-03-02")[0] == "2021-12-31"
    assert find_deadline("我局将尽快组织实施", "2021-03-02") == (None, None)


def test_a_very_long_next_steps_section_yields_its_items_not_one_record():
    item = "持续推进时尚产业空间建设，加快建设公共时尚空间，推动空间效应持续释放。" * 30
    text = "二、下一步工作\n" + "\n".join(f"（{n}）{item}" for n in "一二三四五") + "\n特此回复。"
    found = commitments(text)
    assert len(found) == 5
    assert all(len(c.text) <= MAX_CHARS + 1 for c in found)
    assert [c.clause for c in found] == ["二/(一)", "二/(二)", "二/(三)", "二/(四)", "二/(五)"]


def test_a_policy_text_has_no_commitments():
    result = CliRunner().invoke(main, ["parse", "--json", str(SEEDS / "002_ba63796111550f13.txt")])
    assert json.loads(result.output.splitlines()[0])["commitments"] == []


def test_the_commitments_command_finds_the_seeds_promises_with_their_reply_and_clause(tmp_path: Path):
    from conftest import ingest_texts

    replies = {name: (SEEDS / name).read_text(encoding="utf-8")
               for name in ("000_e19b846f0357647c.txt", "003_e2458defcac5246b.txt", "002_ba63796111550f13.txt")}
    corpus_index_dir = ingest_texts(tmp_path, replies)
    runner = CliRunner()
    result = runner.invoke(main, ["commitments", "时尚产业规划引领", "--index", str(corpus_index_dir), "--json"])
    assert result.exit_code == 0, result.output
    answer = json.loads(result.output)
    top = answer["hits"][0]
    assert top["text"].startswith("（一）持续性做好时尚产业规划引领和落地实施")
    assert top["clause"] == "二/(一)" and top["deadline"] == "2023-12-31"
    assert "2023141" in top["reply_title"]
    by = runner.invoke(main, ["commitments", "--by", "工业和信息化局", "--index", str(corpus_index_dir), "--json"])
    hits = json.loads(by.output)["hits"]
    assert hits and all("工业和信息化局" in h["body"] for h in hits)
    assert {f["value"] for f in json.loads(by.output)["facets"]["year"]} == {"2020"}
    due = runner.invoke(main, ["commitments", "--due-before", "2024-01-01", "--index", str(corpus_index_dir), "--json"])
    assert all(h["deadline"] < "2024-01-01" for h in json.loads(due.output)["hits"])
    bad = runner.invoke(main, ["commitments", "--due-before", "2024-02-30", "--index", str(corpus_index_dir)])
    assert bad.exit_code == 2 and "not a date" in bad.output and "Traceback" not in bad.output


FOLLOW_REPLY = """关于区政协第六届第一次会议第2021015号提案的答复
尊敬的王明委员：
你的提案《关于加快发展时尚产业的提案》收悉，现答复如下：
一、工作开展情况
我局已开展时尚产业调研。
二、下一步工作
（一）2021年底前出台《福田区时尚产业发展规划》，明确产业布局。
（二）年内印发《福田区时尚消费街区建设指引》，推动街区建设。
（三）加强时尚人才引进，完善人才政策。
特此答复。
福田区商务局
2021年3月2日
"""
FOLLOW_PLAN = """福田区商务局关于印发《福田区时尚产业发展规划（2021—2025年）》的通知
各有关单位：
现将《福田区时尚产业发展规划（2021—2025年）》印发给你们，请遵照执行。
一、总体要求
推动时尚产业高质量发展。
福田区商务局
2021年9月1日
"""


def test_follow_through_links_the_document_issued_and_marks_only_a_checkable_past_deadline(tmp_path: Path):
    from conftest import index_of_texts

    with index_of_texts(tmp_path, {"reply.txt": FOLLOW_REPLY, "plan.txt": FOLLOW_PLAN}) as ix:
        hits = ix.commitments.search("", today="2024-01-01").hits
        by_clause = {h.clause: h for h in hits}
        delivered = by_clause["二/(一)"].follow_through
        assert delivered["status"] == "已落实" and "福田区时尚产业发展规划（2021—2025年）" in delivered["document"]["title"]
        assert by_clause["二/(二)"].follow_through == {"status": "已逾期未见落实", "named": "福田区时尚消费街区建设指引",
                                                        "document": None}
        assert by_clause["二/(三)"].follow_through is None  # names nothing checkable: no status
        early = ix.commitments.search("街区建设指引", today="2021-06-01").hits
        assert early[0].follow_through is None  # its deadline has not passed yet


def test_similar_and_the_query_field_show_the_promises_on_the_same_matter(tmp_path: Path):
    from conftest import ingest_texts

    index_dir = str(ingest_texts(tmp_path, {"reply.txt": FOLLOW_REPLY, "plan.txt": FOLLOW_PLAN}))
    runner = CliRunner()
    plain = runner.invoke(main, ["similar", "-", "--index", index_dir, "--json"], input="建议加快出台时尚产业发展规划")
    assert all("commitments" not in json.loads(line) for line in plain.output.splitlines())  # hits alone
    similar = runner.invoke(main, ["similar", "-", "--index", index_dir, "--json", "--commitments"],
                            input="建议加快出台时尚产业发展规划，建设时尚消费街区")
    assert similar.exit_code == 0, similar.output
    last = json.loads(similar.output.strip().splitlines()[-1])
    assert [c["clause"] for c in last["commitments"]] == ["二/(一)", "二/(二)", "二/(三)"]
    assert last["commitments"][0]["follow_through"]["status"] == "已落实"
    text = runner.invoke(main, ["similar", "-", "--index", index_dir], input="建议加快出台时尚产业发展规划")
    assert "以往承诺（同一事项）:" in text.output and "（二）年内印发《福田区时尚消费街区建设指引》" in text.output
    field = runner.invoke(main, ["search", "范围:承诺 街区 机关:商务局", "--index", index_dir, "--json"])
    answer = json.loads(field.output)
    assert answer["total"] == 1 and answer["hits"][0]["clause"] == "二/(二)"
    assert answer["facets"]["body"] == [{"value": "福田区商务局", "count": 1}]
    none = runner.invoke(main, ["search", "范围:承诺 街区 机关:公安局", "--index", index_dir, "--json"])
    assert json.loads(none.output)["total"] == 0


def test_the_draft_lists_earlier_commitments_with_their_status_and_a_gap_for_each(tmp_path: Path):
    from conftest import index_of_texts
    from search.drafting import draft_from_text, render_markdown

    proposal = ("关于加快时尚产业发展的提案\n提案号：2022001\n会议：福田区政协第六届第二次会议\n提案人：李华\n\n"
                "建议：一是出台时尚产业发展规划；二是建设时尚消费街区。\n")
    with index_of_texts(tmp_path, {"reply.txt": FOLLOW_REPLY, "plan.txt": FOLLOW_PLAN}) as ix:
        draft = draft_from_text(ix, proposal, date="2024-01-01")
    [section] = [s for s in draft.sections if s.heading.endswith("以往承诺及落实情况")]
    assert section.heading == "三、以往承诺及落实情况"
    assert [c["clause"] for c in section.commitments] == ["二/(一)", "二/(二)", "二/(三)"]
    assert [ln.text for ln in section.lines].count("【待填写：落实情况】") == 3
    notes = [ln.text for ln in section.lines if ln.text.startswith("【承诺日期")]
    assert notes[0] == ("【承诺日期：2021-03-02；所答提案或建议：区政协第六届第一次会议第2021015号；承诺单位：福田区商务局；"
                        "期限：2021-12-31；索引所见：已落实《福田区商务局关于印发《福田区时尚产业发展规划（2021—2025年）》的通知》"
                        "（2021-09-01）】")
    assert notes[1].endswith("索引所见：已逾期未见落实】") and notes[2].endswith("索引所见：无可核对的文件】")
    answer = draft.to_json()
    assert [(p["proposal_number"], p["commitments"]) for p in answer["earlier_proposals"]] == [("2021015", 3)]
    assert "> （一）2021年底前出台《福田区时尚产业发展规划》，明确产业布局。〔来源：" in render_markdown(draft)
