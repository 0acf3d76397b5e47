"""The coach's review of the Korea pack (issue 14): its fixes stay applied, and
every key point carries real, well-formed evidence.

The review is ../shared/reviews/korea-pack-review.md (fixes F1-F32 and a source
list). CI clones only the repository, so the allowed source URLs are copied
below; the check against the review file itself is skipped when it is absent.

The pack is read with tomllib, so these checks do not depend on how the loader
models sources.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest

from trainer.core.packs.loader import _real_date, _url_problem

ROOT = Path(__file__).resolve().parents[2]
KOREA = ROOT / "resources" / "packs" / "korea-summit-2019"
REVIEW = ROOT.parent / "shared" / "reviews" / "korea-pack-review.md"

# Every URL in the "Sources" list of the review (korea-pack-review.md, 2026-11-30),
# copied verbatim: a source whose URL is not here was not vetted by the review.
ALLOWED_SOURCE_URLS = frozenset({
    'https://undocs.org/S/RES/2371(2017)',
    'https://undocs.org/S/RES/2375(2017)',
    'https://undocs.org/S/RES/2397(2017)',
    'http://russiaun.ru/en/news/sc_sak',
    'https://press.un.org/en/2018/sc13525.doc.htm',
    'https://newnation.io/at-un-us-at-odds-with-china-russia-over-north-korea-sanctions',
    'https://voce.com.ve/2018/09/27/353714/corea-nord-lavrova-progressi-segua-alleggerimento-sanzioni/',
    'https://www.mid.ru/en/foreign_policy/news/-/asset_publisher/cKNonkJE02Bw/content/id/3354592',
    'http://tass.com/politics/1007882',
    'http://tass.com/politics/1046224',
    'https://tass.com/world/1025315',
    'https://kcnawatch.co/newstream/1539255633-593177426/joint-press-release-of-dprk-russia-china-negotiations-made-public/',
    'https://cameroonlatest.blogspot.com/2018/06/statement-from-donald-trump-kim-jong-un.html',
    'https://www.straitstimes.com/politics/trump-kim-summit-joint-statement-a-crucial-first-move-towards-lasting-peace-and-stability',
    'http://content.jwplatform.com/players/y3tKnH7v-EAYoNgFe.html',
    'http://edition.cnn.com/TRANSCRIPTS/1806/12/es.02.html',
    'https://english.ahram.org.eg/NewsPrint/322650.aspx',
    'https://www.dailyamerican.com/story/news/2019/01/29/us-intel-chief-dan-coats-north-korea-unlikely-to-completely-give-up-its-nukes/116108986/',
    'https://fsi.stanford.edu/news/us-special-envoy-north-korea-stephen-biegun-delivers-first-public-address-us-dprk-diplomacy',
    'https://www.wral.com/top-us-envoy-on-north-korea-we-are-not-going-to-invade-north-korea-/18161223/',
    'https://www.starfeed.com/koreaherald/us-envoy-calls-for-full-declaration-of-n-koreas-nuclear-weapons-program/',
    'https://www.ncnk.org/node/1704',
    'https://www.wral.com/us-to-review-north-korea-travel-ban-top-diplomat-says/18074346/',
    'https://www.nknews.org/2019/01/u-s-to-ease-humanitarian-related-travel-shipments-to-north-korea/',
    'http://world.kbs.co.kr/service/news_view.htm?lang=e&Seq_Code=142211',
    'https://www.euronews.com/2018/11/16/second-trump-kim-summit-go-ahead-without-list-nuclear-north-n936481',
    'https://www.voanews.com/a/pence-north-korea-nuclear-program/4659903.html',
    'https://english.nna.jp/articles/143',
    'https://www.straitstimes.com/world/united-states/cia-director-pompeo-met-with-north-korean-leader-kim-jong-un-over-easter-weekend',
    'https://hotair.com/archives/2018/03/01/still-discussing-possible-first-strike-north-korea/',
    'https://blog.trvth.org/2018/03/perfectly-legitimate.html',
    'https://english.hani.co.kr/arti/english_edition/e_northkorea/848097.html',
    'https://www.wrtv.com/news/national/white-house-downplays-bolton-comments-after-north-korea-outcry',
    'https://asiatimes.com/2018/05/trump-walks-back-bolton-comment-on-libya-model-for-denuclearization/',
    'https://washingtonexclusive.com/articles/trump-rebuts-bolton-says-libya-isn-t-a-model-for-kim-talks',
    'https://2001-2009.state.gov/r/pa/prs/ps/2006/66242.htm',
    'https://www.voanews.com/a/a-13-a-2004-09-20-27-1-66898367/262115.html',
    'https://abcnews.go.com/International/story?id=1965753',
    'https://www.upi.com/Top_News/2004/04/25/Libya-hopes-to-be-removed-from-terror-list/UPI-67461082900212/',
    'https://undocs.org/S/RES/1973(2011)',
    'https://en.wikipedia.org/wiki/2011_military_intervention_in_Libya',
    'https://en.wikipedia.org/wiki/Killing_of_Muammar_Gaddafi',
    'https://www.osti.gov/biblio/6477398',
    'https://nuke.fas.org/guide/rsa/nuke/stumpf.htm',
    'https://independent.co.uk/news/sa-admits-it-made-six-nuclear-bombs-de-klerk-says-weapons-destroyed-and-no-more-will-be-built-1499666.html',
    'https://www.govinfo.gov/content/pkg/BILLS-115hr2732ih/xml/BILLS-115hr2732ih.xml',
    'https://mainnews.net/asia-and-pacific/us-lawmakers-introduce-bill-to-restrict-americans-travel-to-north-korean/',
    'http://joewilson.house.gov/media-center/press-releases/schiff-wilson-bill-restricting-tourist-travel-to-north-korea-will-move',
    'https://schiff.house.gov/news/press-releases/schiff-wilson-bill-restricting-tourist-travel-to-north-korea-passes-committee-',
    'https://www.necn.com/news/national-international/Tourism-Helps-North-Korea-Leader-Kim-Jong-Uns-Nuclear-Program-State-Dept-400663481.html',
    'https://protectingyourpocket.blog.palmbeachpost.com/2016/11/10/u-s-dont-travel-to-north-korea-it-could-help-fund-nuclear-program/',
    'https://www.lexology.com/library/detail.aspx?g=ccf6b30a-5b13-4479-8cab-2c7b88ada4a0',
    'https://www.themix.net/2017/08/north-korea-travel-alert-department-state/',
    'https://www.nknews.org/2018/08/u-s-to-extend-north-korea-travel-ban-for-another-year/',
    'https://www.ncnk.org/node/1842',
    'https://www.nknews.org/2025/05/state-department-bans-use-of-us-passports-for-travel-to-north-korea-for-9th-year/',
    'https://feeds.bbci.co.uk/news/world-asia-46232879',
    'https://www.latimes.com/world/la-fg-north-korea-deport-20181115-story.html',
    'https://korea-dpr.com/dprk-deports-american-citizen/',
    'https://case-law.vlex.com/vid/warmbier-v-democratic-people-888681174',
    'https://www.zerohedge.com/news/2018-12-24/judge-orders-north-korea-pay-501-million-damages-otto-warmbiers-death',
    'https://familycarefoundation.biz/the-warmbiers-court-victory-over-north-korea/',
    'https://en.wikipedia.org/wiki/Otto_Warmbier',
    'https://pjmedia.com/claudia-rosett/2017/06/23/of-course-otto-warmbiers-confession-was-coerced-n189253',
    'http://www.taipeitimes.com/News/front/archives/2018/12/21/2003706512',
    'https://www.straitstimes.com/asia/east-asia/north-korea-state-media-says-denuclearisation-includes-eliminating-us-nuclear-threat',
    'https://www.globalsecurity.org/wmd/library/news/dprk/2017/dprk-170903-arirang01.htm',
    'http://www.business-standard.com/article/international/north-korea-nuclear-test-puts-pressure-on-china-and-undercuts-xi-117090400155_1.html',
    'https://slate.trib.al/hnpGoki',
    'https://www.navytimes.com/news/your-navy/2019/02/05/un-experts-north-korea-nukes-intact-dispersing-missiles/',
    'https://asil.org/ILIB/un-panel-experts-releases-final-report-finding-north-korea-violated-sanctions-march-11-2019',
    'http://www.taipeitimes.com/News/world/archives/2020/02/16/2003731101',
    'https://www.newson6.com/story/41686691/north-korea-still-enhancing-nuclear-programs-and-evading-sanctions-un-report-says',
    'https://newseveryday.com/articles/31523/20160210/south-korea-closes-down-shared-factory-after-north-korea-launches-rocket.htm',
    'https://www.wunc.org/npr-blogs/2016-02-10/south-korea-shutting-down-joint-industrial-park-in-north-korea',
    'http://m.koreatimes.com/article/20050607/249735',
    'https://all-about-biz.blogspot.com/2011/10/kumgangsan-tourist-region.html',
    'https://koreapost.com/news/articleView.html?idxno=4544',
    'https://feeds.bbci.co.uk/news/world-asia-40876382',
    'http://globalnews.ca/news/3656975/canadian-pastor-released-north-korea-prison/',
    'https://m.koreatimes.co.kr/pages/article.amp.asp?newsIdx=388684',
    'https://www.northkoreaintheworld.org/multilateral/un-human-rights-votes',
    'https://www.nknews.org/2018/05/n-korea-aims-to-finish-wonsan-kalma-project-by-april-15-next-year-state-media/',
    'http://www.nkleadershipwatch.org/2018/05/26/kju-visits-wonsan-kalma-tourist-zone-construction/',
    'https://www.nknews.org/2018/10/kim-jong-un-expresses-disappointment-with-progress-at-wonsan-kalma-tourist-zone/',
    'http://www.trtworld.com/americas/us-citizens-held-houthis-yemen-2277',
    'https://arabstoday.net/en/amp/39/houthis-seized-us-citizen-say-his-colleagues-235948',
    'https://www.state.gov/the-united-states-condemns-the-houthi-detention-of-yemeni-staff-of-the-u-s-embassy-in-sanaa-and-breach-of-embassy-compound/',
    'https://newsbytesapp.com/news/world/us-wants-dialogue-with-north-korea/story',
    'http://www.spacewar.com/reports/Tillerson_US_not_seeking_to_topple_North_Korea_regime_999.html',
    'https://www.globalsecurity.org/wmd/library/news/dprk/2000/dprk-001012a.htm',
    'https://www.donga.com/en/article/all/20001012/193954/1',
    'https://www.globalsecurity.org/wmd/library/news/dprk/2000/dprk-001012.htm',
    'https://www.reuters.com/article/us-korea-north-usa-talks-idUSTRE81S13R20120229',
    'https://english.ahram.org.eg/NewsContent/2/0/35719/World/0/North-Korea-agrees-to-nuclear-moratorium.aspx',
    'http://greaterjammu.com/2018/06/14/north-korea-airs-video-of-kim-jong-uns-singapore-visit/',
    'https://www.breitbart.com/national-security/2018/06/14/north-korean-tv-airs-40-minute-documentary-trump-kim-summit/',
    'http://www.thejournal.ie/we-fell-in-love-trump-on-exchanging-letters-with-kim-jong-un-4261603-Sep2018/',
    'https://www.huffpost.com/entry/donald-trump-kim-jong-un-in-love-north-korea_n_5bb03817e4b0c7575965aeb1',
    'https://www.armscontrol.org/factsheets/dprkchron',
    'https://www.iaea.org/sites/default/files/publications/documents/infcircs/1994/infcirc457.pdf',
    'https://en.wikipedia.org/wiki/Six-party_talks',
    'https://www.ohchr.org/en/hr-bodies/hrc/co-idprk/reportofthe-commissionof-inquiry-dprk',
    'https://undocs.org/S/RES/1718(2006)',
    'https://en.wikipedia.org/wiki/2017_North_Korean_nuclear_test',
    'https://en.wikipedia.org/wiki/Hwasong-15',
    'https://en.wikipedia.org/wiki/Hwasong-14',
    'https://en.wikipedia.org/wiki/Hwasong-12',
    'https://en.wikipedia.org/wiki/Panmunjom_Declaration',
    'https://en.wikipedia.org/wiki/September_2018_inter-Korean_summit',
    'https://en.wikipedia.org/wiki/China%E2%80%93North_Korea_relations',
    'https://en.wikipedia.org/wiki/2018_inter-Korean_summits',
    'https://en.wikipedia.org/wiki/Byungjin',
    'https://en.wikipedia.org/wiki/North_Korean_abductions_of_Japanese_citizens',
    'https://www.mofa.go.jp/region/asia-paci/n_korea/abduction/index.html',
    'https://en.wikipedia.org/wiki/Korean_axe_murder_incident',
    'https://en.wikipedia.org/wiki/ROKS_Cheonan_sinking',
    'https://en.wikipedia.org/wiki/Bombardment_of_Yeonpyeong',
    'https://en.wikipedia.org/wiki/Assassination_of_Kim_Jong-nam',
    'https://en.wikipedia.org/wiki/Kenneth_Bae',
    'https://en.wikipedia.org/wiki/Merrill_Newman',
    'https://en.wikipedia.org/wiki/Jeffrey_Fowle',
    'https://en.wikipedia.org/wiki/North_Korea_and_weapons_of_mass_destruction',
    'https://en.wikipedia.org/wiki/United_States_Forces_Korea',
    'https://en.wikipedia.org/wiki/Ulchi-Freedom_Guardian',
    'https://en.wikipedia.org/wiki/Intermediate-Range_Nuclear_Forces_Treaty',
    'https://en.wikipedia.org/wiki/Punggye-ri_Nuclear_Test_Site',
    'https://en.wikipedia.org/wiki/Sino-North_Korean_Mutual_Aid_and_Cooperation_Friendship_Treaty',
    'https://en.wikipedia.org/wiki/Constitution_of_North_Korea',
    'https://en.wikipedia.org/wiki/United_Nations_Command',
    'https://en.wikipedia.org/wiki/Korean_Armistice_Agreement',
    'https://en.wikipedia.org/wiki/Joint_Declaration_of_the_Denuclearization_of_the_Korean_Peninsula',
    'https://en.wikipedia.org/wiki/National_Defense_Authorization_Act_for_Fiscal_Year_2020',
    'https://en.wikipedia.org/wiki/2019_North_Korea%E2%80%93United_States_Hanoi_Summit',
    'https://en.wikipedia.org/wiki/North_Korea%E2%80%93United_States_relations',
    'https://www.38north.org/2018/07/sohae072318/',
    'https://en.wikipedia.org/wiki/Embassy_of_the_United_States,_Damascus',
    'https://en.wikipedia.org/wiki/United_States_withdrawal_from_the_Joint_Comprehensive_Plan_of_Action',
    'https://www.bloombergquint.com/business/u-s-to-review-curbs-on-north-korea-humanitarian-aid-envoy-says',
    'https://fordschool.umich.edu/sites/default/files/2022-03/Stephen%20Biegun_%20Midwest%20Symposium%20on%20U.S.-Korea%20Relations%20-%20keynote%20%28Audio%20ENG%29.txt',
})

# Passages in double quotation marks that are not the article's words but a real
# named source's (each checked by the review), or a name by which a policy or a
# deal is known.
ALLOWED_QUOTATIONS = {
    "maximum pressure": "the Trump administration's declared name for its policy (Bolton perspective, review: accurate)",
    "Maximum pressure": "the same, at the start of a sentence",
    "Libya model": "John Bolton, April 2018 (review: LibyaModel)",
    "the Libya model": "Trump (17 May 2018) and Pence (21 May 2018) tying it to Qaddafi's fate (review: F17)",
    "final, fully verified denuclearization": "Pompeo's formula, repeated by Biegun at Stanford on 31 January 2019 (review: Pompeo perspective, BiegunSt)",
    "dual suspension": "China's 2017 proposal (review: Beijing perspective accurate)",
    "Leap Day": "the usual name of the U.S.-DPRK deal of 29 February 2012 (review: LeapDay)",
    "gangster-like": "North Korean Foreign Ministry via KCNA, 7 July 2018 (review: quotation confirmed)",
    "mutual confidence building can promote the denuclearization of the Korean Peninsula": "Singapore joint statement, preamble (review: F7)",
    "can promote": "Singapore joint statement, preamble (review: F9, F16)",
    "denuclearization of the Korean Peninsula": "Singapore joint statement and KCNA, 20 December 2018 (review: KCNA1220)",
    "war games": "Trump, Singapore press conference, 12 June 2018 (review: quotation confirmed)",
    "confession": "North Korea's word for Warmbier's televised statement; the court called it a purported confession (review: F2 keeps the marks)",
    "activity inconsistent with full denuclearization": "DNI Dan Coats, 29 January 2019 (review: quotation confirmed)",
    "fell in love": "Trump, Wheeling rally, 29 September 2018 (review: quotation confirmed)",
    "not going to invade North Korea": "Stephen Biegun at Stanford, 31 January 2019 (review: quotation confirmed)",
    "We are not going to invade North Korea.": "the same, as a full sentence",
}

_QUOTED = re.compile(r'"([^"\n]*)"|“([^”\n]*)”')


def _toml(path: Path) -> dict:
    return tomllib.loads(path.read_text(encoding="utf-8"))


META = _toml(KOREA / "pack.toml")
CLAIM_FILES = sorted((KOREA / "claims").glob("*.toml"))
CLAIMS = {f.name: _toml(f) for f in CLAIM_FILES}
KEY_POINTS = {k["id"]: k for c in CLAIMS.values() for k in c["key_points"]}
ARTICLE = (KOREA / "article.txt").read_text(encoding="utf-8")


def _perspective(pid: str) -> dict:
    return next(p for p in META["perspectives"] if p["id"] == pid)


def _note(claim_id: str) -> str:
    return next(c.get("note", "") for c in CLAIMS.values() if c["id"] == claim_id)


def _all_texts() -> list[tuple[str, str]]:
    """(where, text) for every statement, rebuttal, note, perspective and the description."""
    out = [("pack.toml: description", META.get("description", ""))]
    for p in META["perspectives"]:
        out.append((f"pack.toml: perspective {p['id']}", p["description"] + "\n" + p.get("tip", "")))
    for name, claim in CLAIMS.items():
        out.append((f"{name}: note", claim.get("note", "")))
        for kp in claim["key_points"]:
            out.append((f"{name}: {kp['id']}.statement", kp["statement"]))
            out.append((f"{name}: {kp['id']}.rebuttal", kp["rebuttal"]))
    return out


ALL_TEXT = "\n".join(t for _, t in _all_texts())


def _well_formed(source: dict) -> list[str]:
    problems = []
    for field, limit in (("title", 1000), ("publisher", 200), ("url", 1000)):
        value = source.get(field)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"{field} missing")
        elif len(value) > limit:
            problems.append(f"{field} longer than {limit}")
    if not isinstance(source.get("date"), str) or not _real_date(source["date"]):
        problems.append(f"date {source.get('date')!r} is not a real YYYY, YYYY-MM or YYYY-MM-DD date")
    url = source.get("url")
    if isinstance(url, str) and _url_problem(url) is not None:
        problems.append(f"url {url!r} is not an http(s) address with a host")
    supports = source.get("supports")
    if supports is not None and (not isinstance(supports, str) or len(supports) > 1000 or "\n" in supports):
        problems.append("supports must be one line of at most 1000 characters")
    return problems


def _all_sources() -> list[tuple[str, dict]]:
    out = []
    for name, claim in CLAIMS.items():
        for kp in claim["key_points"]:
            out += [(f"{name}: {kp['id']}", s) for s in kp.get("sources", [])]
        out += [(f"{name}: note", s) for s in claim.get("note_sources", [])]
    return out


# (a) evidence --------------------------------------------------------------


def test_every_key_point_has_a_complete_source() -> None:
    missing = []
    for kid, kp in KEY_POINTS.items():
        sources = kp.get("sources", [])
        if not any(not _well_formed(s) for s in sources):
            missing.append(kid)
    assert not missing, f"key points without a source with title, publisher, real date and http(s) url: {missing}"
    assert len(KEY_POINTS) >= 100


def test_every_source_is_well_formed() -> None:
    bad = [f"{where}: {problem}" for where, s in _all_sources() for problem in _well_formed(s)]
    assert not bad, "\n".join(bad)


def test_no_key_point_lists_a_source_twice() -> None:
    for kid, kp in KEY_POINTS.items():
        urls = [s["url"] for s in kp.get("sources", [])]
        assert len(urls) == len(set(urls)), kid


# (b) the review's fixes stay applied --------------------------------------

# (fix, where: key point id, "note:<claim id>", "perspective:<id>" or "*" for the whole pack,
#  text that must be there (or None), text that must not be there anywhere in the pack)
FIXES = [
    ("F1", "arsenal-china-leverage", "all four UN sanctions resolutions of 2017 (2356, 2371, 2375 and 2397)", "all three UN sanctions resolutions"),
    ("F2", "warmbier-unique-system", "a U.S. federal judge later found to be full of untruths", "made to memorize"),
    ("F3", "hope-reassurance-multilateral", "guarantees of peace, stability and security in Northeast Asia", "called for a system of security guarantees"),
    ("F4", "perspective:pompeo", "(the first, at Easter, as CIA Director)", None),
    ("F5", "perspective:pompeo", "by late 2018 Washington no longer demanded the declaration before a second summit", "must come early"),
    ("F6", "back-to-2017-deterrence", "three ICBM tests (two in July, one in November)", "an ICBM test in November"),
    ("F7", "note:pyongyang-conditions", "numbered in that order but without saying that any step must be completed before the next", "without stating an order"),
    ("F8", "pyongyang-conditions-no-sequence", "lists four numbered commitments:", "simply lists four commitments side by side"),
    ("F9", "pyongyang-conditions-no-sequence", 'the preamble says that mutual confidence building "can promote" denuclearization', "Nothing in it says that denuclearization waits"),
    ("F10", "risk-no-greater-state-source", "In Afghanistan or Nigeria the main threats", "Afghanistan or Yemen"),
    ("F11", "risk-no-greater-no-consular", "(Syria and Yemen, where U.S. embassy operations were suspended in 2012 and 2015, are the exceptions.)", "an embassy and several consulates"),
    ("F12", "reconsidering-renewed", "announced in August 2018, came less than three months after the Singapore summit", "came three months after the Singapore summit"),
    ("F13", "ban-in-full-trade-not-give", "the hard currency that foreign tourists bring through its state tour agencies", "Wonsan-Kalma"),
    ("F14", "ban-in-full-detention-record", "Since the ban began, the only American detained was an illegal border-crosser", "no American tourist was detained"),
    ("F15", "ban-in-full-detention-record", "the ban removed the exposure, not that North Korea became safer", "The policy appears to be doing what it was designed to do"),
    ("F16", "pompeo-incorrect-package", "In Pompeo's reading, the United States offered new relations", "Trump committed to security guarantees in that context"),
    ("F17", "libya-lesson-uprising", "it led the first air strikes in March 2011", None),
    ("F18", "greater-fool-libya-misread", "Qaddafi fell nearly eight years later, after his own people rose", "fell eight years later because"),
    ("F19", "greater-fool-libya-misread", "even though Trump and Pence blurred the two in May 2018", None),
    ("F20", "note:greater-fool", "overthrown in August 2011 and killed in October 2011", "overthrown and killed in October 2011"),
    ("F21", "faithlessness-verification", "eliminated a whole class of missiles by 1991 because it included on-site inspections", "rivals, worked because"),
    ("F22", "greater-fool-verification", "its later collapse came from a dispute over a new Russian missile", None),
    ("F23", "perspective:warmbier", "(enacted later, in December 2019, after the article)", "(enacted in December 2019)"),
    ("F24", "biegun-admitted-waivers-not-ban", "it had renewed the restriction in September 2018.", "renewed it again in later years"),
    ("F25", "hope-for-change-no-concession", None, "Later events fit this reading"),
    ("F26", "relationship-trigger-parallel", '"some effort in this direction is necessary" to a relations-first sequence', '"relations first"'),
    ("F27", "alive-not-dead-failed-test", '"Worth far more to Pyongyang alive than dead" is a theory about incentives', '"Alive rather than dead"'),
    ("F28", "ban-in-full-fix-waivers", 'Going from slow waivers to "The ban should be eliminated in full" is a leap.', "the waivers are too slow"),
    ("F29", "hope-reassurance-tried-before", "What Bandow presents as the only hope has been tested", '"only hope"'),
    ("F30", "beyond-denuclearization-allies-left-out", 'Bandow\'s "issues other than denuclearization" are', '"other issues"'),
    ("F31", "modest-steps-entrench", 'Every year of "modest steps" without a freeze', '"small steps"'),
    ("F32", "pyongyang-conditions-umbrella", 'So to "take seriously the conditions set by Pyongyang" may mean', '"taking seriously'),
    # the six key points that did not rebut their claim, reworded
    ("KP-13", "tourism-exemptions", "The interaction that matters in North Korea comes from aid workers and journalists, not tourists.", "The travel ban still allows humanitarian and press visits."),
    ("KP-26", "corrode-control-information-flows", "Guided tours reach too few people to corrode control; smuggled media do the real work.", "Smuggled media and broadcasts erode control more than guided tours do."),
    ("KP-11", "contact-opens-information", "Official contact reaches too few North Koreans to pry the country open; smuggled media do the real work.", "Smuggled media, not official contact, is what opens North Korea."),
    ("KP-27", "pompeo-incorrect-already-delivered", "Washington has already done more than the new-relations clause requires, so travel easing is not owed.", "Washington had already delivered gestures beyond the Singapore text."),
    ("KP-23a", "reconsidering-sanctions-layers", "The administration was reviewing how aid is licensed and exempted, not whether to keep the ban.", "Humanitarian delays also stem from sanctions licensing, not just the ban."),
    ("KP-24a", "hope-for-change-monitoring", "Without strict monitoring, easier aid approvals are no hopeful change, since aid can prop up the regime.", "Easier aid approvals need strict monitoring, or aid can prop up the regime."),
]


def _where(spec: str) -> str:
    if spec.startswith("note:"):
        return _note(spec[5:])
    if spec.startswith("perspective:"):
        p = _perspective(spec[12:])
        return p["description"] + "\n" + p.get("tip", "")
    kp = KEY_POINTS[spec]
    return kp["statement"] + "\n" + kp["rebuttal"]


def _collapse(text: str) -> str:
    """TOML line continuations leave no breaks, but descriptions may wrap: compare on single spaces."""
    return re.sub(r"\s+", " ", text)


@pytest.mark.parametrize("fix, where, present, absent", FIXES, ids=[f[0] for f in FIXES])
def test_the_review_fix_stays_applied(fix: str, where: str, present: str | None, absent: str | None) -> None:
    if present is not None:
        assert _collapse(present) in _collapse(_where(where)), f"{fix}: {where} lost {present!r}"
    if absent is not None:
        assert _collapse(absent) not in _collapse(ALL_TEXT), f"{fix}: {absent!r} is back in the pack"


def test_the_reworded_key_points_keep_their_bold_statement() -> None:
    for kid in ("tourism-exemptions", "corrode-control-information-flows", "contact-opens-information",
                "pompeo-incorrect-already-delivered", "reconsidering-sanctions-layers", "hope-for-change-monitoring"):
        kp = KEY_POINTS[kid]
        assert f"**{kp['statement'][:-1]}".lower() in kp["rebuttal"].lower(), kid


def test_later_events_stay_out_of_model_rebuttals() -> None:
    # anachronisms (review: F24, F25): the Hanoi outcome belongs in coaches' notes only
    for kid, kp in KEY_POINTS.items():
        assert not re.search(r"Hanoi[^.]{0,80}(ended|without agreement)", kp["rebuttal"]), kid


def test_the_pompeo_tip_matches_the_corrected_perspective() -> None:
    tip = _perspective("pompeo")["tip"]
    assert "must come early" not in tip and "declaration" in tip


# (c) quotation marks hold quotations --------------------------------------


def _norm(text: str) -> str:
    return text.replace("’", "'").replace("‘", "'")


ARTICLE_NORM = _norm(ARTICLE)


def _verbatim(quote: str) -> bool:
    """In the article, allowing typographic apostrophes and the case of the first letter."""
    q = _norm(quote)
    return bool(q) and (q in ARTICLE_NORM or (q[0].swapcase() + q[1:]) in ARTICLE_NORM)


def test_straight_double_quotes_are_paired() -> None:
    odd = [where for where, text in _all_texts() if text.count('"') % 2]
    assert not odd, odd


def test_every_quotation_is_the_articles_words_or_an_allowed_source() -> None:
    bad = []
    for where, text in _all_texts():
        for m in _QUOTED.finditer(text):
            quote = m.group(1) if m.group(1) is not None else m.group(2)
            if not _verbatim(quote) and quote not in ALLOWED_QUOTATIONS:
                bad.append(f"{where}: {quote!r}")
    assert not bad, "paraphrases in quotation marks:\n" + "\n".join(bad)


def test_the_allow_list_is_in_use() -> None:
    used = {m.group(1) or m.group(2) for _, text in _all_texts() for m in _QUOTED.finditer(text)}
    assert set(ALLOWED_QUOTATIONS) <= used, set(ALLOWED_QUOTATIONS) - used


def test_claim_quotes_are_untouched_and_verbatim() -> None:
    for name, claim in CLAIMS.items():
        assert claim["quote"] in ARTICLE, name


# (d) version ---------------------------------------------------------------


def test_version_is_1_2_0() -> None:
    assert META["version"] == "1.2.0"


# (e) no invented source ----------------------------------------------------


def test_every_source_url_comes_from_the_review() -> None:
    unknown = sorted({s["url"] for _, s in _all_sources()} - ALLOWED_SOURCE_URLS)
    assert not unknown, f"source URLs not in the review's list: {unknown}"


def test_every_source_url_appears_in_the_review_file() -> None:
    if not REVIEW.is_file():
        pytest.skip(f"{REVIEW} is not part of the repository (CI clones only the repo); ALLOWED_SOURCE_URLS holds its list")
    review = REVIEW.read_text(encoding="utf-8")
    missing = sorted({s["url"] for _, s in _all_sources() if s["url"] not in review})
    assert not missing, missing
    sources_section = review[review.index("## Sources"):]
    assert ALLOWED_SOURCE_URLS == set(re.findall(r"https?://[^\s;]+", sources_section)), "ALLOWED_SOURCE_URLS is out of step with the review"
