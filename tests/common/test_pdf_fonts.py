"""The PDF fonts' static instances: made once into the cache, only the missing ones.

No test here builds an instance (a CJK one takes about 20 s of CPU): `make fonts` does,
before the tests.
"""

from common.pdf import fonts


def test_warm_with_every_instance_cached_makes_nothing(tmp_path, monkeypatch):
    """What `make test` relies on: a second run finds the instances and builds none."""
    cached = fonts.warm()  # the shared cache, filled by `make fonts` before the tests
    for path in cached:
        (tmp_path / path.name).symlink_to(path)
    monkeypatch.setenv("PDF_FONT_CACHE_DIR", str(tmp_path))
    made = []

    paths = fonts.warm(report=lambda path, seconds: made.append(path.name))

    assert made == []
    assert fonts.missing() == []
    assert paths == [tmp_path / path.name for path in cached]
    assert sorted(item.name for item in tmp_path.iterdir()) == sorted(p.name for p in cached)


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
