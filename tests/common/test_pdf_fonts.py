"""The PDF fonts' static instances: made once into the cache, only the missing ones."""

from fontTools.ttLib import TTFont

from common.pdf import fonts


def test_warm_makes_only_the_missing_instance_and_reports_it(tmp_path, monkeypatch):
    cached = fonts.warm()  # the shared cache, filled by `make fonts` before the tests
    for path in cached:
        (tmp_path / path.name).symlink_to(path)
    # The smallest instance (about a second to make); the others are found in the cache.
    name = fonts.static_instance_path(fonts.ARABIC, fonts.REGULAR).name
    (tmp_path / name).unlink()
    monkeypatch.setenv("PDF_FONT_CACHE_DIR", str(tmp_path))
    assert fonts.missing() == [(fonts.ARABIC, fonts.REGULAR)]

    made = []
    paths = fonts.warm(report=lambda path, seconds: made.append(path.name))

    assert made == [name]
    assert fonts.missing() == []
    assert [path.name for path in paths] == [path.name for path in cached]
    instance = TTFont(tmp_path / name)
    assert "fvar" not in instance
    assert instance["name"].getDebugName(6) == "NotoSansArabic-Regular"
    assert instance["OS/2"].usWeightClass == 400


def test_missing_lists_every_family_and_weight_of_an_empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("PDF_FONT_CACHE_DIR", str(tmp_path / "empty"))

    assert fonts.missing() == [
        (fonts.SANS, fonts.REGULAR),
        (fonts.SANS, fonts.BOLD),
        (fonts.ARABIC, fonts.REGULAR),
        (fonts.ARABIC, fonts.BOLD),
        (fonts.CJK_SC, fonts.REGULAR),
        (fonts.CJK_SC, fonts.BOLD),
        (fonts.CJK_JP, fonts.REGULAR),
        (fonts.CJK_JP, fonts.BOLD),
        (fonts.CJK_KR, fonts.REGULAR),
        (fonts.CJK_KR, fonts.BOLD),
    ]
