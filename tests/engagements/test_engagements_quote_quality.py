"""Error classes found by hand-checking extracted quotes and topics (tests/fixtures/quality/).

Each case is a small made-up sentence of the kind that was wrong in the dev corpus: a foreign or
Taiwanese ministry read as the PRC's, a verb inside a longer word, a speaker who is an object or
sits in another clause, a person standing for his administration, a topic named only in passing.
"""

from __future__ import annotations

from typing import Any

from eng_helpers import make_article as _make

from summitwatch.engagements import extract_article

CTX = "國家主席習近平與美國總統拜登通電話。"


def quotes(kn: Any, text: str, *, title: str = "") -> list[Any]:
    return list(extract_article(_make(CTX, text, title=title), kn).quotes)


def test_foreign_ministry_is_not_the_prc(kn: Any) -> None:
    qs = quotes(kn, "南韓外交部周二表示，「期待美朝峰會能成為實現朝鮮半島無核化的里程碑。」")
    assert qs and all(q.side == "other" and q.speaker == "South Korea Ministry of Foreign Affairs" for q in qs)


def test_taiwan_ministry_named_bare_in_taiwan_context(kn: Any) -> None:
    qs = quotes(kn, "對此軍售案，台灣外交部發布聲明表示歡迎。外交部強調，台灣政府將堅定不移地提升國防安全，維護台海和平。")
    bare = [q for q in qs if q.text.startswith("台灣政府將")]
    assert bare and bare[0].side == "other" and bare[0].speaker == "Taiwan Ministry of Foreign Affairs"
    qs = quotes(kn, "針對美艦航行台海，台灣國防部回應稱，「全程掌控周遭海、空動態，狀況均正常」。")
    assert qs and qs[0].speaker == "Taiwan Ministry of National Defense" and qs[0].side == "other"


def test_bare_ministry_without_taiwan_context_stays_prc(kn: Any) -> None:
    qs = quotes(kn, "外交部發言人華春瑩表示，中方堅決反對美方的錯誤做法，敦促美方停止干涉。")
    assert qs and all(q.side == "PRC" for q in qs)
    # a Taiwan marker earlier in the article, a PRC one nearer: the nearer decides
    qs = quotes(kn, "蔡英文昨日出席活動。中方隨即回應。外交部表示，美方應停止向台灣出售武器，以免損害中美關係。")
    assert any(q.speaker == "PRC Ministry of Foreign Affairs" and q.side == "PRC" for q in qs)


def test_verb_inside_a_word_is_not_attribution(kn: Any) -> None:
    qs = quotes(kn, "崔天凱稱不指望一次對話能解決中美之間的問題。")
    assert qs and qs[0].speaker == "Cui Tiankai" and qs[0].text.startswith("不指望")
    qs = quotes(kn, "根據習近平主席和特朗普總統的指示，雙方代表團就貿易問題進行了建設性磋商。")
    assert not [q for q in qs if q.text.startswith("示")]


def test_object_of_another_clause_is_not_the_speaker(kn: Any) -> None:
    qs = quotes(kn, "雖然他近來言論較強硬，但幾年前曾大讚習近平，又稱習是他的好朋友。")
    assert not [q for q in qs if q.speaker == "Xi Jinping"]
    qs = quotes(kn, "南韓外長康京和與美國國務卿蓬佩奧通電話，其後稱南韓和美國「應盡力挽回今次美朝會談的良機。」")
    assert not [q for q in qs if q.speaker == "Mike Pompeo"]


def test_speaker_opening_the_previous_clause_still_speaks(kn: Any) -> None:
    qs = quotes(kn, "美國國務卿布林肯與楊潔篪會面，其後稱「美方將與盟友站在一起，共同應對挑戰」。")
    assert any(q.speaker == "Antony Blinken" for q in qs)


def test_unknown_subject_of_the_verb_clause(kn: Any) -> None:
    qs = quotes(kn, "習近平上台後，內地強調和諧穩定，「共產黨講求實際、要結果，只要求你搞得掂」。")
    assert not [q for q in qs if q.speaker == "Xi Jinping"]
    qs = quotes(kn, "新聞稿又指，克拉夫特此行「將強化美國政府對台灣國際空間的強力支持」。")
    assert not qs


def test_name_inside_a_phrase_is_not_the_subject(kn: Any) -> None:
    qs = quotes(kn, "控制這些政治言論是中國政府強調網絡主權和互聯網治理的主要動力。")
    assert not qs


def test_person_standing_for_his_administration(kn: Any) -> None:
    qs = quotes(kn, "北韓核問題成為國際議題是1988年，美國列根政府指北韓可能開發核武。")
    assert qs and qs[0].speaker == "US government" and qs[0].side == "US"


def test_former_official_of_a_ministry_is_not_the_ministry(kn: Any) -> None:
    qs = quotes(kn, "國防部前副助理部長高比說：「我們在對台事務上必須有所改變，藉此加強嚇阻。」")
    assert not [q for q in qs if "Ministry" in q.speaker]


def test_topic_named_once_in_passing_is_not_a_topic(kn: Any) -> None:
    art = _make("今年是六四32週年，警方連續第二年以疫情為由，拒絕舉行悼念活動的遊行。", "王婆婆今日獲釋，暫未被控。",
                title="王婆婆單人遊行遭拘捕")
    assert "covid19" not in extract_article(art, kn).topics


def test_topic_in_two_sentences_or_the_title_is_a_topic(kn: Any) -> None:
    art = _make("港區國安法生效後，多人被捕。", "律政司指國安法凌駕本地法例。", title="法院審理保釋申請")
    assert "hong_kong" in extract_article(art, kn).topics
    art = _make("習近平歡迎美方重返多邊氣候治理進程。", title="習近平出席領導人氣候峰會")
    assert "climate" in extract_article(art, kn).topics


def test_name_not_opening_the_previous_clause_is_not_the_speaker(kn: Any) -> None:
    qs = quotes(kn, "王丹表示，這是首次有國務卿公開表達美國政府對六四事件的關切，形容「這是一次歷史性的會見」。")
    assert not [q for q in qs if q.speaker == "US government"]


def test_aide_of_a_person_is_not_the_person(kn: Any) -> None:
    qs = quotes(kn, "至於貿易方面，特朗普的助手表示，總統提出「對中國貿易手段的關切」。")
    assert not [q for q in qs if q.speaker == "Donald Trump"]


def test_reported_speech_in_a_topic_phrase_is_not_a_quote(kn: Any) -> None:
    qs = quotes(kn, "就外交部發言人華春瑩指12港人企圖分裂國家，家屬鄧弟說覺得荒謬，質疑當局一口咬定他們犯法。")
    assert not [q for q in qs if q.speaker == "Hua Chunying"]


def test_accusation_verb_does_not_cut_the_text(kn: Any) -> None:
    qs = quotes(kn, "美方指控孟晚舟違背伊朗制裁法令，涉嫌金融欺詐，要求引渡孟晚舟。")
    assert not [q for q in qs if q.text.startswith("控")]


def test_verb_inside_a_quoted_headline_is_not_speech(kn: Any) -> None:
    qs = quotes(kn, "新華社以標題「美國貿易代表稱將與中方就經貿問題展開坦率對話」報道，又引述智庫研究員的評論。")
    assert not qs


def test_currency_amounts_are_not_the_finance_topic(kn: Any) -> None:
    art = _make("基金會將提供3億美元協助農民。", "另一基金會承諾出資6億美元。", title="法國倡綠色融資")
    assert "finance" not in extract_article(art, kn).topics


def test_bare_state_department_followed_by_a_us_official(kn: Any) -> None:
    qs = quotes(kn, "多間傳媒引述國務院官員表示，國務院亞太事務助理國務卿史達偉周五召見崔天凱，提出嚴正抗議。")
    assert qs and qs[0].speaker == "US Department of State" and qs[0].side == "US"


def test_epithet_in_quote_marks_is_not_a_quote(kn: Any) -> None:
    qs = quotes(kn, "蓬佩奧稱魏京生為「中國民運之父」。")
    assert not [q for q in qs if q.text == "中國民運之父"]


def test_namesake_glossed_in_latin_letters_is_not_the_official(kn: Any) -> None:
    qs = quotes(kn, "共和黨議員錢尼（Liz Cheney）在訪談時提到，「如今美國的敵人會知道，他們可以威脅我們」。")
    assert not [q for q in qs if q.speaker == "Dick Cheney"]
    qs = quotes(kn, "民主黨首席議員梅南德茲（Bob Menendez）稱，不少議員認為美國應與中國競爭。")
    assert any(q.speaker == "Bob Menendez" for q in qs)


def test_reported_words_end_where_another_subject_speaks(kn: Any) -> None:
    from eng_helpers import make_article

    from summitwatch.engagements import extract_article

    art = make_article("國家主席習近平與美國總統拜登通電話。",
                       "外交部發言人趙立堅表示，拜登願適時與習近平會晤，朝方也表示願繼續與美方坐下來解決問題。")
    rep = [q for q in extract_article(art, kn).quotes if q.reported]
    assert rep and all("朝方" not in q.text for q in rep)


def test_reported_words_end_before_a_media_reading(kn: Any) -> None:
    from eng_helpers import make_article

    from summitwatch.engagements import extract_article

    art = make_article("國家主席習近平與美國總統拜登通電話。",
                       "王毅強調中方不是半島事務的旁觀者，又指和平穩定的原則不容妥協，韓媒解讀為是提醒首爾不要倒向美國。")
    rep = [q for q in extract_article(art, kn).quotes if q.reported and q.speaker == "Wang Yi"]
    assert rep and all("韓媒" not in q.text for q in rep)
