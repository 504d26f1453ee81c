from catalog.text import light_stem, normalize


def test_normalize_strips_accents_case_and_punctuation():
    assert normalize("Boulangère !") == "boulangere"
    assert normalize("  Œufs frais — « bio »") == "oeufs frais bio"
    assert normalize("") == ""


def test_light_stem_drops_french_plural_marks_only_on_longer_words():
    assert light_stem("fleurs") == "fleur"
    assert light_stem("gateaux") == "gateau"
    assert light_stem("bus") == "bus"
