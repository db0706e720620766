"""The default evidence base: complete, cited, and written in our own words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from generator.resolve import build_model

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
ROUTES = ("return-home", "kinship-care", "adoption", "long-term-foster-care", "residential-care", "leaving-care")
COPY_RUN = 12  # words in a row shared with a seed that count as copying


@pytest.fixture(scope="module")
def model():
    return build_model(ROOT, strict=True)[0]


def test_every_route_is_complete(model):
    assert tuple(r.id for r in model.routes) == ROUTES
    for route in model.routes:
        assert 2 <= len(route.key_messages) <= 3, route.id
        assert all(m.citations for m in route.key_messages), route.id
        assert route.figures and any(f.headline for f in route.figures), route.id
        assert all(f.citation.citations for f in route.figures), route.id
        assert route.voices, f"{route.id} has no voices"
        assert route.recommendations, f"{route.id} has no recommendations"
        assert route.evidence.reason, route.id


def test_cross_cutting_pages(model):
    assert {t.id for t in model.topics} == {
        "permanence",
        "relationships",
        "contact",
        "care-population",
        "substance-misuse",
        "stability",
    }


def test_no_reference_has_a_placeholder_title(model):
    """Works the seeds cite only by author and year are secondary citations, not invented titles."""
    assert not [r.key for r in model.references if r.title.startswith("[") or "full reference not given" in r.text]
    secondary = [r for r in model.references if dict(r.fields).get("citedin")]
    assert len(secondary) >= 20 and all(", cited in " in r.text for r in secondary)


def test_bibliography_is_substantial(model):
    assert len(model.references) > 60
    in_glossary = {k for t in model.terms for c in t.definition.citations for k in c.keys}
    assert all(r.cited_by or r.key in in_glossary for r in model.references)
    assert not any(b.target[0] == "term" for r in model.references for b in r.cited_by)


def test_sources_one_per_seed(model):
    assert {s.id for s in model.sources} == {
        "thoburn-2021",
        "apsw-kee-2021",
        "care-inquiry-2013",
        "care-inquiry-priorities",
        "ncb-2010",
    }


def test_glossary_covers_the_abbreviations(model):
    terms = {t.term for t in model.terms}
    for abbreviation in ("SGO", "IRO", "LAC", "CiCC", "NEET", "SDQ", "KEE", "PEP", "VSH", "CAMHS", "EET"):
        assert abbreviation in terms


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not beside this checkout")
def test_every_care_inquiry_recommendation(model):
    seed = next(SEEDS.glob("002_*.txt")).read_text(encoding="utf-8")
    in_seed = {m for m in re.findall(r"(?:^|\s)([5-9]\.\d{1,2})\s+[A-Z]", seed)}
    ours = {r.number for r in model.recommendations if r.source == "care-inquiry-2013"}
    assert in_seed <= ours
    for chapter in "56789":
        numbers = sorted(int(n.split(".")[1]) for n in ours if n.startswith(chapter + "."))
        assert numbers == list(range(1, len(numbers) + 1)), f"chapter {chapter} numbering has gaps: {numbers}"
    assert "9.17" in ours


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9']+", text.lower().replace("’", "'"))


@pytest.mark.skipif(not SEEDS.is_dir(), reason="the seed documents are not beside this checkout")
def test_content_is_in_our_own_words():
    """No run of COPY_RUN words from a seed, outside quotations (voices and text in quotation marks)."""
    runs = set()
    for seed in SEEDS.glob("*.txt"):
        words = _words(seed.read_text(encoding="utf-8"))
        runs.update(tuple(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1))
    copied = []
    for path in sorted((ROOT / "content").rglob("*")):
        if not path.is_file() or path.name == "voices.yml":
            continue
        text = path.read_text(encoding="utf-8")
        text = re.sub(r"\[[^\]]*@[^\]]*\]", " ", text)  # citations
        text = re.sub(r"“[^”]*”|\"[^\"\n]{0,400}\"", " ", text)  # quotations
        words = _words(text)
        copied += [
            f"{path.relative_to(ROOT)}: {' '.join(words[i : i + COPY_RUN])}"
            for i in range(len(words) - COPY_RUN + 1)
            if tuple(words[i : i + COPY_RUN]) in runs
        ]
    assert not copied, "\n".join(copied)
