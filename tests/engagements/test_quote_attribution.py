"""Direct-quote attribution rules (engagements/quote_speakers.py), one made-up sentence each.

Every case starts with a sentence naming both sides and a meeting word, because quotes are read only
from articles past the extraction prefilter.
"""

from __future__ import annotations

from typing import Any

from eng_helpers import make_article

from summitwatch.engagements import extract_article
from summitwatch.engagements.quote_spans import sentence_bounds
from summitwatch.engagements.quote_speakers import Attributor
from summitwatch.mentions.cues import load_cues

CTX = "國家主席習近平與美國總統拜登通電話。"


def direct(kn: Any, *paragraphs: str, published: str = "2021-11-16T00:00:00+08:00") -> list[Any]:
    art = make_article(CTX, *paragraphs, published=published)
    qs = [q for q in extract_article(art, kn).quotes if not q.reported]
    for q in qs:
        assert art.text[q.start:q.end] == q.text  # offsets point at the words, marks excluded
    return qs


def said(qs: list[Any], start: str) -> Any:
    got = [q for q in qs if q.text.startswith(start)]
    assert got, f"no quote starting {start!r} in {[q.text for q in qs]}"
    return got[0]


def test_attribution_first(kn: Any) -> None:
    q = said(direct(kn, "拜登說：「美國將與盟友一道應對挑戰。」"), "美國將與盟友")
    assert (q.speaker, q.side, q.reported) == ("Joe Biden", "US", False)


def test_attribution_after(kn: Any) -> None:
    qs = direct(kn, "布林肯會見王毅。", "「我們不尋求與中國發生衝突。」他說。")
    assert said(qs, "我們不尋求").speaker == "Antony Blinken"


def test_split_around_attribution_gives_two_records(kn: Any) -> None:
    qs = direct(kn, "「我們會繼續溝通下去，」布林肯說，「雙方同意保持對話的渠道。」")
    assert said(qs, "我們會繼續").speaker == "Antony Blinken"
    assert said(qs, "雙方同意").speaker == "Antony Blinken"


def test_quote_spanning_several_sentences(kn: Any) -> None:
    q = said(direct(kn, "王毅表示：「中美合作是唯一正確的選擇。對抗沒有出路。」"), "中美合作")
    assert q.text.endswith("對抗沒有出路。") and q.speaker == "Wang Yi"


def test_reporting_verbs_and_frames(kn: Any) -> None:
    qs = direct(kn, "據楊潔篪說，「中方的立場是堅定不移的」。",
                "蓬佩奧在聲明中說，「美國將繼續支持香港的自由」。",
                "特朗普在Twitter發文說：「與習主席的通話非常好。」",
                "王毅批評美方「損害兩國之間的互信基礎」。")
    assert said(qs, "中方的立場").speaker == "Yang Jiechi"
    assert said(qs, "美國將繼續支持").speaker == "Mike Pompeo"
    assert said(qs, "與習主席").speaker == "Donald Trump"
    assert said(qs, "損害兩國").speaker == "Wang Yi"


def test_later_clause_of_the_speakers_sentence(kn: Any) -> None:
    q = said(direct(kn, "崔天凱指，美國可以與其他國家發展關係，但不應該損害第三國：「這個做法沒有太大必要。」"),
             "這個做法")
    assert q.speaker == "Cui Tiankai"


def test_pronoun_takes_the_nearest_named_speaker(kn: Any) -> None:
    qs = direct(kn, "美國副總統彭斯也發表講話。他說，「今天開啟了兩國經貿關係的新篇章」。")
    assert said(qs, "今天開啟").speaker == "Mike Pence"
    qs = direct(kn, "楊潔篪說：「中美關係非常重要。」", "他續稱：「雙方應該管控分歧，加強合作。」")
    assert said(qs, "雙方應該").speaker == "Yang Jiechi"


def test_pronoun_after_an_unknown_speaker_is_unknown(kn: Any) -> None:
    qs = direct(kn, "王毅與布林肯會談。學者孫哲認為會談有意義。他說，「兩國關係短期內難以改善」。")
    assert not [q for q in qs if q.text.startswith("兩國關係短期")]


def test_unnamed_spokesperson_is_the_institution(kn: Any) -> None:
    qs = direct(kn, "外交部發言人表示：「美方應當停止干涉中國內政。」")
    assert said(qs, "美方應當").speaker == "PRC Ministry of Foreign Affairs"
    qs = direct(kn, "美國國務院發言人說：「我們密切關注局勢的發展。」")
    assert said(qs, "我們密切").speaker == "US Department of State"
    qs = direct(kn, "美國駐華大使館證實事件。發言人說：「我們向家屬致以誠摯的慰問。」")
    assert said(qs, "我們向家屬").speaker == "US Embassy in China"


def test_named_spokesperson_is_the_person(kn: Any) -> None:
    qs = direct(kn, "中國外交部發言人趙立堅在記者會上，並說「美國欠我們一個解釋」。",
                published="2020-03-17T00:00:00+08:00")
    assert said(qs, "美國欠我們").speaker == "Zhao Lijian"


def test_state_council_by_context(kn: Any) -> None:
    qs = direct(kn, "國務院表示：「將出台更多穩定外資的政策措施。」")
    assert said(qs, "將出台").speaker == "PRC State Council"
    qs = direct(kn, "國務卿布林肯出訪歐洲。國務院表示：「國務卿將與盟友討論烏克蘭局勢。」")
    assert said(qs, "國務卿將").speaker == "US Department of State" and said(qs, "國務卿將").side == "US"


def test_statement_body_speaks_and_a_person_inside_it_speaks(kn: Any) -> None:
    qs = direct(kn, "白宮發布的新聞稿表示，「兩國元首就共同關心的問題坦率交換了意見」。",
                "白宮聲明說，拜登強調「美國將堅定捍衛自身利益和價值觀」。")
    assert said(qs, "兩國元首").speaker == "White House"
    assert said(qs, "美國將堅定").speaker == "Joe Biden"


def test_statement_words_continue_in_the_next_sentence(kn: Any) -> None:
    qs = direct(kn, "美國國務院發言人回覆查詢時稱，美方做法完全符合國際法。「任何其他說法都是轉移視線。」")
    assert said(qs, "任何其他說法").speaker == "US Department of State"


def test_nested_quote_of_a_third_person(kn: Any) -> None:
    qs = direct(kn, "楊潔篪在文章中說，「1970年，毛澤東主席表示：『中美兩國總要建交的，這是大勢所趨。』」")
    assert said(qs, "1970年").speaker == "Yang Jiechi"
    assert said(qs, "中美兩國總要").speaker == "Mao Zedong"


def test_unclosed_quote_ends_at_the_paragraph_end(kn: Any) -> None:
    qs = direct(kn, "習近平說：「統一大業一定要實現，也一定能夠實現", "另一段文字與此無關。")
    q = said(qs, "統一大業")
    assert q.text == "統一大業一定要實現，也一定能夠實現" and q.speaker == "Xi Jinping"


def test_damaged_halfwidth_opening_mark(kn: Any) -> None:
    q = said(direct(kn, "拜登明確表示：｢會，我們有這個承諾」。"), "會，我們")
    assert q.speaker == "Joe Biden"


def test_continuation_paragraph_of_the_same_speaker(kn: Any) -> None:
    qs = direct(kn, "崔天凱說：「我們對這次對話沒有過高的期待。」", "「如果有人認為中方會讓步，那是幻想。」")
    assert said(qs, "如果有人認為").speaker == "Cui Tiankai"


def test_continuation_after_a_comma(kn: Any) -> None:
    qs = direct(kn, "特朗普續稱：「我們的談判是艱難而坦誠的」，「這次簽署標誌着國際貿易的根本變化」。")
    assert said(qs, "這次簽署").speaker == "Donald Trump"


def test_colon_paragraph_introduces_the_next(kn: Any) -> None:
    qs = direct(kn, "戴琪說，中國沒有計劃實施有意義的改革，以回應美國的關切：", "「我們將繼續與盟友合作制定公平貿易規則。」")
    assert said(qs, "我們將繼續").speaker == "Katherine Tai"


def test_short_spans_scare_quotes_and_names_do_not_count(kn: Any) -> None:
    qs = direct(kn, "王毅稱美方搞「小圈子」。", "拜登表示會遵守「一個中國」政策。",
                "美方應遵守「中美三項聯合公報」原則。", "習近平提出打造「健康絲綢之路」作出貢獻。",
                "蓬佩奧宣布終止「香港教育與文化計劃」（Hong Kong Educational and Cultural Program）。",
                "布林肯所謂「以實力地位出發對話」並不可行。")
    assert not qs


def test_question_in_quote_marks_is_not_the_answerers(kn: Any) -> None:
    qs = direct(kn, "拜登被問到「若中國攻台，美國會否協防台灣？」時表示：「會，我們有所承諾。」")
    assert not [q for q in qs if q.text.startswith("若中國攻台")]
    assert said(qs, "會，我們").speaker == "Joe Biden"


def test_quote_introducing_the_next_is_not_attributed_after(kn: Any) -> None:
    qs = direct(kn, "記者先問「兩岸局勢會怎樣發展？」拜登回應「不會有事發生的，請放心」。")
    assert not [q for q in qs if q.text.startswith("兩岸局勢")]


def test_words_a_name_said_in_anothers_sentence(kn: Any) -> None:
    qs = direct(kn, "普京把對手比作獨裁者，指這是博爾頓所說的「蘇聯宣傳風格了不起的展示」。",
                published="2020-06-18T00:00:00+08:00")
    assert said(qs, "蘇聯宣傳").speaker == "John Bolton"


def test_wish_verb_without_speaker_defers_to_the_sentence(kn: Any) -> None:
    qs = direct(kn, "白宮新聞秘書讓皮埃爾（Karine Jean-Pierre）表示，美國希望兩國元首「在舊金山進行建設性對話」。",
                published="2023-11-09T00:00:00+08:00")
    assert said(qs, "在舊金山").speaker == "Karine Jean-Pierre"


def test_former_officials_and_congress_speak_for_no_side(kn: Any) -> None:
    qs = direct(kn, "基辛格說：「中美兩國必須找到共處之道。」")
    assert said(qs, "中美兩國必須").side == "other"
    qs = direct(kn, "前美國財政部駐華代表認為，「這樣的高層會議未必有成效。」")
    assert not [q for q in qs if q.side in ("US", "PRC")]


def test_scholar_subject_is_not_an_official(kn: Any) -> None:
    qs = direct(kn, "王毅與布林肯會談後，學者林文程認為，「北京想做甚麼就做甚麼，不跟你商量」。")
    assert not qs


def test_white_house_named_as_a_place_speaks_as_the_body(kn: Any) -> None:
    qs = direct(kn, "白宮表示：「總統並未宣布任何政策改變。」")
    assert said(qs, "總統並未").speaker == "White House"


def test_names_in_book_titles_and_after_non_official_titles_do_not_speak(kn: Any) -> None:
    qs = direct(kn, "《混世魔王毛澤東》一書說過：「否定中國人幾千年來的小農式生存。」")
    assert not [q for q in qs if q.speaker == "Mao Zedong"]
    qs = direct(kn, "英國學者保羅・詹森在書中指出：「考察知識份子對待真理的態度。」")
    assert not [q for q in qs if q.speaker == "Lyndon B. Johnson"]


def test_enumerated_names_are_objects_of_the_clause(kn: Any) -> None:
    qs = direct(kn, "美國國務院提交報告，當中點名林鄭月娥、夏寶龍、駱惠寧等10人，稱他們「損害香港的自由以及法治」。",
                published="2020-10-15T00:00:00+08:00")
    assert not [q for q in qs if q.speaker in ("Luo Huining", "Xia Baolong", "Carrie Lam")]


def test_collective_subject_defers_to_the_named_spokesperson(kn: Any) -> None:
    qs = direct(kn, "汪文斌聲稱，中方敦促美方有關議員認清形勢，「同台獨一起玩火終將引火燒身」。",
                published="2021-11-12T00:00:00+08:00")
    assert said(qs, "同台獨").speaker == "Wang Wenbin"


def test_quote_of_someone_unnamed_in_its_own_clause(kn: Any) -> None:
    qs = direct(kn, "就外交部發言人華春瑩指12港人企圖分裂國家，家屬鄧弟「覺得有啲荒謬，點解可以一口咬定」。")
    assert not [q for q in qs if q.speaker == "Hua Chunying"]


def test_name_with_its_acronym_and_a_gloss_alone_are_not_quotes(kn: Any) -> None:
    qs = direct(kn, "蔡英文希望台美簽署「雙邊貿易協定」（BTA）。", "拜登簡單回應「不會（Nothing）」。")
    assert not qs


def test_document_with_a_title_is_the_subject(kn: Any) -> None:
    qs = direct(kn, "拜登承諾出兵協防台灣，與《台灣關係法》僅提到「協助台灣維持足夠的自衛能力」等承諾不同。")
    assert not [q for q in qs if q.text.startswith("協助台灣")]


def test_pronoun_after_a_stranger_is_the_stranger(kn: Any) -> None:
    qs = direct(kn, "共和黨籍參議員盧比奧呼籲總統拜登解僱米利，他去信拜登稱：「這種顛覆行為削弱了總統的談判能力。」")
    assert not [q for q in qs if q.speaker == "Joe Biden"]


def test_pronoun_takes_the_person_a_body_title_introduces(kn: Any) -> None:
    qs = direct(kn, "國務院港澳辦主任張曉明在記者會上強調立法是中國內政。他先用普通話說「你憑什麼對我動粗呢」。",
                published="2020-05-22T00:00:00+08:00")
    assert said(qs, "你憑什麼").speaker == "Zhang Xiaoming"


def test_question_answered_after_it_is_not_the_answerers(kn: Any) -> None:
    qs = direct(kn, "記者問時任特首董建華，究竟法律基礎「是《基本法》嗎，或是聯合聲明？」董建華沒有正面回應。")
    assert not qs


def test_nested_quote_needs_its_own_attribution(kn: Any) -> None:
    qs = direct(kn, "王毅說：「這份聲明裏根本沒有提到『中國速度、中國規模、中國效率』一類的排比句。」")
    assert [q.speaker for q in qs] == ["Wang Yi"]


def test_colon_clause_of_an_unknown_person(kn: Any) -> None:
    qs = direct(kn, "戴琪在講話提到會用一切辦法保障美國經濟利益，孫哲都認同這個講法：「美國一些公司也要求取消關稅。」")
    assert not [q for q in qs if q.text.startswith("美國一些公司")]


def test_speaker_after_a_quote_inside_the_sentence(kn: Any) -> None:
    qs = direct(kn, "外交部發言人華春瑩回應時稱，「中方通過磋商解決分歧符合兩國利益。」她續稱：「我們多次表明了立場。」")
    assert said(qs, "我們多次表明").speaker == "Hua Chunying"


def test_a_name_shown_once_to_be_someone_else_is_so_everywhere(kn: Any) -> None:
    qs = direct(kn, "人權觀察執行總監羅斯發表報告。羅斯在總論提及香港，他指，「國泰航空威脅解僱支持示威的職工」。",
                published="2020-01-15T00:00:00+08:00")
    assert not [q for q in qs if q.speaker == "Wilbur Ross"]


def test_member_of_congress_called_so_is_himself(kn: Any) -> None:
    art = make_article(CTX, "民主黨首席議員梅南德茲（Bob Menendez）稱，不少議員認為美國應與中國競爭。")
    qs = extract_article(art, kn).quotes
    assert any(q.speaker == "Bob Menendez" and q.side == "other" for q in qs)


def test_news_media_are_not_speakers(kn: Any) -> None:
    qs = direct(kn, "中國官方新華社發表評論文章，指美國此舉蠻橫。", "文章指出，「政客們急於甩鍋推諉、轉嫁矛盾」。")
    assert not qs


def test_bare_ministry_in_a_taiwan_allies_context(kn: Any) -> None:
    art = make_article(CTX, "台灣13個友邦已向世衛提交提案。外交部表示，提案會在總務委員會會議中討論。")
    qs = extract_article(art, kn).quotes
    assert qs and all(q.side == "other" for q in qs if "提案" in q.text)


def test_unnamed_commentator_is_not_an_official(kn: Any) -> None:
    qs = direct(kn, "美國駐華大使布蘭斯塔德證實卸任，文章引述評論人士指出，「這是美國對華接觸政策確實死亡的又一迹象」。",
                published="2020-09-15T00:00:00+08:00")
    assert not qs


def test_pronoun_after_a_sentence_opened_by_an_unknown_name(kn: Any) -> None:
    qs = direct(kn, "王光亞曾到訪香港。", "前布政司鍾逸傑是梁振英的支持者，他較早前表示，梁振英沒有「令人喜歡他的能力」。",
                published="2017-01-10T00:00:00+08:00")
    assert not [q for q in qs if q.speaker == "Wang Guangya"]


def test_reported_words_go_on_past_a_clause_without_a_new_speaker(kn: Any) -> None:
    art = make_article(CTX, "美國財政部長姆欽表示，如果兩國能夠很快達成第二階段協議的話，特朗普將考慮進一步下調關稅。",
                       published="2020-01-16T00:00:00+08:00")
    q = next(q for q in extract_article(art, kn).quotes if q.reported)
    assert q.speaker == "Steven Mnuchin" and q.text.endswith("進一步下調關稅") and art.text[q.start:q.end] == q.text
    art = make_article(CTX, "姆欽表示，中方已承諾大幅增加採購，特朗普隨即表示歡迎。", published="2020-01-16T00:00:00+08:00")
    got = [q for q in extract_article(art, kn).quotes if q.reported and q.speaker == "Steven Mnuchin"]
    assert got and got[0].text == "中方已承諾大幅增加採購"


def test_assistant_to_a_minister_is_not_the_minister(kn: Any) -> None:
    qs = direct(kn, "中國外交部長助理華春瑩召見日本大使，指稱安倍的言論「悍然為台獨勢力撐腰，嚴重違反國際關係準則」。",
                published="2021-12-02T00:00:00+08:00")
    assert said(qs, "悍然為").speaker == "Hua Chunying"


def test_words_a_name_said_inside_anothers_clause(kn: Any) -> None:
    qs = direct(kn, "驟眼看來，拜登說的理念，與習近平說的「公平、正義、民主、自由」沒有多大分別。")
    assert said(qs, "公平、正義").speaker == "Xi Jinping"
    qs = direct(kn, "博爾頓寫道，普京的說法「在很大程度上說服了特朗普」。", published="2020-06-18T00:00:00+08:00")
    assert not [q for q in qs if q.speaker == "Vladimir Putin"]


def test_addressee_of_a_letter_does_not_speak(kn: Any) -> None:
    art = make_article(CTX, "參議員盧比奧呼籲解僱米利，他去信拜登稱，這種顛覆行為削弱了總統的談判能力。")
    assert not [q for q in extract_article(art, kn).quotes if q.speaker == "Joe Biden"]


def test_named_spokesperson_over_the_collective_side(kn: Any) -> None:
    qs = direct(kn, "中國外交部發言人汪文斌表示，中方立場一貫明確，「反對任何形式的美台官方往來」並說「敦促美方恪守一個中國原則」。",
                published="2021-12-13T00:00:00+08:00")
    assert {q.speaker for q in qs} == {"Wang Wenbin"}


def test_cantonese_words_are_not_a_us_officials(kn: Any) -> None:
    qs = direct(kn, "特朗普支持者陳先生說，特朗普曾承諾對中國強硬。", "「佢好多動作都係為咗自己，而唔係對付中國。」他說。")
    assert not [q for q in qs if q.speaker == "Donald Trump"]


def test_reported_words_stop_at_a_headline_space_and_stray_closing_marks(kn: Any) -> None:
    art = make_article(CTX, "中國外交部稱不了解這宗事件的詳情　官媒：鷹派利用此事消除中間路線")
    got = [q for q in extract_article(art, kn).quotes if q.reported]
    assert got and got[0].text == "不了解這宗事件的詳情"
    art = make_article(CTX, "陸慷表示，我們也注意到，特朗普仍表示願適時與金正恩會晤，朝方也表示願坐下來解決問題。」他續稱。",
                       published="2018-05-25T00:00:00+08:00")
    got = [q for q in extract_article(art, kn).quotes if q.reported and q.speaker == "Lu Kang"]
    assert got and "」" not in got[0].text


def test_short_reply_verb_with_colon_introduces_the_answer(kn: Any) -> None:
    qs = direct(kn, "記者問台海會否出事，拜登回：「不會，我們完全沒有改變政策。」")
    assert said(qs, "不會，我們完全").speaker == "Joe Biden"
    # 「回」 with no colon is no verb: 「回到北京後」 does not introduce the quote after it
    assert not direct(kn, "他回到北京後，外界「十分關注這次會面的結果」。")


def test_counted_spokesperson_speaks_for_the_body_of_its_paragraph(kn: Any) -> None:
    qs = direct(kn, "白宮對此沒有回應。", "國務院回覆詢問時稱這是技術問題；一名發言人表示，「我們重視這次部長的與會，展現專業」。")
    q = said(qs, "我們重視")
    assert (q.speaker, q.side) == ("US Department of State", "US")
    # with no body in its paragraph the counted spokesperson is nobody known
    assert not direct(kn, "一位發言人說：「美方應停止干涉中國內政。」")
    # an official counted but not named may be any side's: still nobody
    assert not direct(kn, "中國外交部當天回應。一名官員說：「美方應停止干涉中國內政。」")


def test_deputy_director_title_names_its_holder_of_the_day(kn: Any) -> None:
    qs = direct(kn, "國務院港澳辦常務副主任當日表示：「美國的制裁嚇不倒中國人民。」", published="2020-08-10T00:00:00+08:00")
    q = said(qs, "美國的制裁")
    assert (q.speaker, q.side) == ("Zhang Xiaoming", "PRC")  # the deputy, not the office as a body


def test_noun_phrase_after_said_is_the_topic_not_a_speaker(kn: Any) -> None:
    qs = direct(kn, "2月25日，特朗普說，美國的個案「在幾天內會跌至近乎零」。", published="2020-02-26T00:00:00+08:00")
    q = said(qs, "在幾天內")
    assert (q.speaker, q.side) == ("Donald Trump", "US")
    # a name opening the quote's clause is someone else speaking, whom nobody here knows
    assert not direct(kn, "華春瑩表示，家屬鄧弟「對此感到非常憤怒和失望」。")


def test_part_of_a_post_is_its_authors_not_the_last_quoted(kn: Any) -> None:
    qs = direct(kn, "美國駐華使館在Twitter貼出大使的說話：「我將於下個月卸下大使的職位。」",
                "蓬佩奧周一在Twitter貼出三段文。第一段說：「我感謝大使超過三年來對美國人民的服務」。",
                published="2020-09-15T00:00:00+08:00")
    assert said(qs, "我感謝大使").speaker == "Mike Pompeo"


def test_name_after_a_meeting_verb_and_a_modifier_is_the_object(kn: Any) -> None:
    qs = direct(kn, "台灣總統蔡英文今早會見到訪的美國衛生部長艾薩時表示，「艾薩到訪是台美防疫合作的重要一大步」。",
                published="2020-08-10T00:00:00+08:00")
    assert said(qs, "艾薩到訪").speaker != "Alex Azar"  # the host speaks, not the visitor she met
    qs = direct(kn, "美國衛生部長艾薩今早在台北表示，「這次到訪是台美防疫合作的重要一大步」。",
                published="2020-08-10T00:00:00+08:00")
    assert said(qs, "這次到訪").speaker == "Alex Azar"


# ---------------------------------------------------------------- issue 12, third round (session 3)

def test_quote_naming_its_own_speaker_is_his(kn: Any) -> None:
    # a readout quoted whole carries its attribution inside the marks
    qs = direct(kn, "新華社的報道透露了他的原話──「習近平強調，中方堅定維護自身主權和領土完整。」",
                "官方報道高度評價——「(李克強)對布林肯表示願意推動兩國經貿合作走向正軌。」")
    assert said(qs, "習近平強調").speaker == "Xi Jinping"
    assert said(qs, "(李克強)").speaker == "Li Keqiang"


def test_quote_naming_someone_after_its_first_words_is_not_his(kn: Any) -> None:
    # the name must open the quote and its verb follow in the first clause
    qs = direct(kn, "評論文章寫道──「坦白說，習近平強調的主權問題沒有人會讓步。」")
    assert not [q for q in qs if q.text.startswith("坦白說")]


def test_question_naming_a_speaker_is_not_his(kn: Any) -> None:
    qs = direct(kn, "記者追問：「拜登表示會出兵保衛台灣，這是否代表政策改變？」")
    assert not [q for q in qs if q.text.startswith("拜登表示")]


def test_unnamed_official_of_a_country_speaks_for_its_government(kn: Any) -> None:
    qs = direct(kn, "《華爾街日報》引述一名中國高級官員稱，「我們不會在關稅問題上作出讓步」。",
                "一名美國資深官員表示：「我們會繼續與盟友保持密切協調。」")
    assert (said(qs, "我們不會在關稅").speaker, said(qs, "我們不會在關稅").side) == ("PRC government", "PRC")
    assert said(qs, "我們會繼續與盟友").speaker == "US government"


def test_pronoun_opening_the_clause_is_the_subject_not_a_body_after_it(kn: Any) -> None:
    qs = direct(kn, "蓬佩奧說，會談的氣氛並不理想。他以中國外交部對會談的說法為例，指這是「完全片面而且不實際的描述」。")
    assert said(qs, "完全片面").speaker == "Mike Pompeo"


def test_topic_phrase_naming_who_expressed_the_words(kn: Any) -> None:
    qs = direct(kn, "針對習近平在大會上以強硬語氣表達「統一大業一定要也一定能實現」，並強調主權，"
                    "批判「分裂國家的人從來沒有好下場」；台灣陸委會對此回應，「中華民國是主權國家」。")
    assert said(qs, "統一大業").speaker == "Xi Jinping"
    assert said(qs, "分裂國家的人").speaker == "Xi Jinping"


def test_topic_phrase_about_someones_remarks_is_not_his_words(kn: Any) -> None:
    qs = direct(kn, "針對拜登的言論表示「這是一個非常危險的信號」的學者不在少數。")
    assert not [q for q in qs if q.speaker == "Joe Biden"]


def test_pronoun_after_a_spokespersons_quote_is_the_spokesperson(kn: Any) -> None:
    # 張小明 is unknown to the knowledge: his 他 is the Presidential Office's spokesperson, not Xi
    qs = direct(kn, "針對習近平表達「統一大業一定能夠實現」，台灣總統府發言人張惇明回應表示，「台灣的未來由人民決定」。",
                "張惇明也對此提出說明，他說，「民主共和今天真正地在台灣實現」。")
    assert said(qs, "統一大業").speaker == "Xi Jinping"
    assert not [q for q in qs if q.text.startswith("民主共和") and q.speaker == "Xi Jinping"]


def test_name_ending_its_clause_after_a_modifier_is_the_subject(kn: Any) -> None:
    qs = direct(kn, "至於多次指北京在貿易上佔盡便宜的特朗普，則稱中國佔了便宜，但就說不會怪責中國，「誰能怪責為國民爭取利益的國家」。")
    assert said(qs, "誰能怪責").speaker == "Donald Trump"


def test_bracketed_aside_does_not_cut_the_attribution(kn: Any) -> None:
    qs = direct(kn, "特朗普說彼此已經建立了「友誼」（但沒有說是哪一種友誼），並且相信兩國會有「很好很好的關係」。")
    assert said(qs, "很好很好").speaker == "Donald Trump"


def test_headline_cited_by_a_medium_is_not_a_quote(kn: Any) -> None:
    qs = direct(kn, "新華社今早以標題「美國貿易代表稱將與中方展開坦率對話」報道這次講話。")
    assert not [q for q in qs if q.text.startswith("美國貿易代表稱")]


def test_someone_of_a_cited_official_is_not_the_official(kn: Any) -> None:
    qs = direct(kn, "《紐約時報》引述奧巴馬的中國事務顧問貝德認為，「華府對中國的議題大多不帶善意」。")
    assert not [q for q in qs if q.speaker == "Barack Obama"]


def test_speech_of_unnamed_officials_is_not_their_governments_words(kn: Any) -> None:
    # 「演說」 holds no verb of speech, and officials followed by 的 are no subject
    qs = direct(kn, "蓬佩奧說，他與其他3名美國高級官員的演說「有一個非常清晰的意圖，就是解釋美中關係」。")
    assert said(qs, "有一個非常清晰").speaker == "Mike Pompeo"


def test_position_marker_in_brackets_keeps_the_subject(kn: Any) -> None:
    qs = direct(kn, "美國總統拜登（左）據報希望對華採取「以行動為導向的強硬立場」。美聯社圖片")
    assert said(qs, "以行動為導向").speaker == "Joe Biden"


def test_bracketed_aside_holding_someone_elses_quote_is_not_masked(kn: Any) -> None:
    # the words inside the aside belong to the one it names (here nobody the knowledge knows)
    qs = direct(kn, "習近平告訴記者，「四個偉大」中（按：這是林彪提出的：「偉大的領袖、偉大的統帥」）他只渴望當導師。")
    assert not [q for q in qs if q.text.startswith("偉大的領袖")]


def test_someones_remarks_after_the_verb_are_the_topic_not_a_speaker(kn: Any) -> None:
    qs = direct(kn, "中國外交部發言人趙立堅回覆提問時指出，麻生太郎的言論「極其錯誤並且危險，嚴重損害兩國關係」。")
    assert said(qs, "極其錯誤").speaker == "Zhao Lijian"


def test_interviewing_medium_is_no_speaker(kn: Any) -> None:
    qs = direct(kn, "特朗普接受《紐約時報》訪問時指，「我們向來相信中國會幫忙，不過幫助不多」。", published="2018-01-02T00:00:00+08:00")
    assert (said(qs, "我們向來相信").speaker, said(qs, "我們向來相信").side) == ("Donald Trump", "US")


def test_restrictive_adverb_before_the_verb(kn: Any) -> None:
    qs = direct(kn, "美國總統拜登反應低調，只表示「美國可以處理好這件事」。")
    assert said(qs, "美國可以處理").speaker == "Joe Biden"


def test_zhizhi_attributes(kn: Any) -> None:
    qs = direct(kn, "外交部再轟美國多宗罪，直指美國是破壞地區和平穩定的「最大幕後黑手」。")
    assert said(qs, "最大幕後黑手").speaker == "PRC Ministry of Foreign Affairs"


def test_body_after_zai_is_where_the_speaker_is(kn: Any) -> None:
    qs = direct(kn, "拜登在白宮表示「美國將繼續與盟友合作應對挑戰」。",
                "發言人趙立堅在中國外交部例行記者會上指出，「美方的做法極其錯誤並且危險」。")
    assert said(qs, "美國將繼續").speaker == "Joe Biden"
    assert said(qs, "美方的做法").speaker == "Zhao Lijian"


def test_statement_of_someone_unnamed_is_not_the_government_it_follows(kn: Any) -> None:
    qs = direct(kn, "香港美國商會並無配合美國官方旋律，只在聲明中泛泛而談說留意到「日益增加複雜的地緣政治環境及風險」。")
    assert not [q for q in qs if q.text.startswith("日益增加")]


def test_adviser_title_ending_in_wen_is_no_question(kn: Any) -> None:
    # 「顧問」 ends in 問 (ask) but asks nobody: the adviser named after it speaks, not his body
    qs = direct(kn, "美國白宮貿易顧問納瓦羅在智庫發表演說稱，中國須為疫情負責，並稱「這筆帳必有一天要算」。",
                published="2020-10-20T00:00:00+08:00")
    assert said(qs, "這筆帳").speaker == "Peter Navarro"


def test_finished_quote_then_a_new_sentence_is_not_an_after_attribution(kn: Any) -> None:
    qs = direct(kn, "「我們要改善同北京的關係。」尼克遜當年說。",
                "翻查本周參議院外交事務委員會會議片段，獲提名擔任國務卿的布林肯坦言過去的共識並無發生，「毫無疑問，中國是對美國構成最大挑戰的國家。」"
                "他強調，要在科技應用上聯合其他民主國家。", published="2021-01-20T00:00:00+08:00")
    assert said(qs, "毫無疑問").speaker == "Antony Blinken"


def test_she_refers_to_a_woman_not_to_the_last_man_quoted(kn: Any) -> None:
    qs = direct(kn, "特朗普說：「我們會贏得這場選戰。」", "她在教會講道。她說：「敵人是仇恨，敵人是種族主義，我們要發聲。」")
    assert not [q for q in qs if q.text.startswith("敵人是仇恨")]


def test_she_refers_to_a_woman_official(kn: Any) -> None:
    qs = direct(kn, "王毅表示，中方反對任何形式的干涉。華春瑩隨後在記者會回應提問。她說：「美方應停止干涉中國內政。」")
    assert said(qs, "美方應停止").speaker == "Hua Chunying"


def test_statement_of_someone_unnamed_is_not_a_body_named_before(kn: Any) -> None:
    qs = direct(kn, "美國國防部周三發表聲明。國防部的聲明稱，「使用來自兩間廠的設備，會對軍方構成風險。」",
                "華為在回應美國網媒的聲明中表示，「華為的產品在170個國家銷售，達到最高的安全要求。」")
    assert not [q for q in qs if q.text.startswith("華為的產品")]


def test_mission_spokesperson_is_not_the_ambassador(kn: Any) -> None:
    qs = direct(kn, "中國駐聯合國代表團發言人表示對此堅決反對，並指「美方必將為其錯誤行徑付出沉重代價」。")
    assert not [q for q in qs if q.text.startswith("美方必將") and q.speaker == "Zhang Jun"]


def test_collective_inside_an_unknown_speakers_words_is_not_the_speaker(kn: Any) -> None:
    qs = direct(kn, "文章說，國際社會對美國的做法早已熟知，中方對其反華政客的下限也有所預料，「但儘管如此，無端關閉總領館的舉動依然令世人瞠目」。")
    assert not [q for q in qs if q.text.startswith("但儘管如此")]


def test_finished_quote_then_a_speaker_colon_introducing_the_next(kn: Any) -> None:
    qs = direct(kn, "蔡英文在講話中呼籲啟動自由貿易協定談判：「我們希望美國認識到這樣的協議具有戰略意義。」"
                    "美國國務卿蓬佩奧上周四說：「我們正在努力找出確切的推進方式。」")
    assert said(qs, "我們希望美國").speaker != "Mike Pompeo"
    assert said(qs, "我們正在努力").speaker == "Mike Pompeo"

def test_attribution_verbs_longest_first_and_never_inside_a_blocked_word() -> None:
    """At one offset the longest verb wins (「指出」 over 「指」, 「说法是」 over 「说」, whose 「说法」 is no
    verb), a question verb is marked as one (「追问」, and its 「问」 is the same word), and a verb
    inside a blocked word (「指责」 here) is none; the text is read in normalised (Simplified) form."""
    norm = "他指出美方应停止。她指责对方。他的说法是双方应对话。记者追问此事。"
    cues = load_cues()
    att = Attributor(norm, norm, [], sentence_bounds(norm, []), cues, cues["speech_not_verb"])
    want = [(norm.index("指出"), "指出", False), (norm.index("说法是"), "说法是", False), (norm.index("追问"), "追问", True)]
    assert att.verb_positions() == [(i, i + len(v), q) for i, v, q in want]
