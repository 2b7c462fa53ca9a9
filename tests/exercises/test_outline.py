"""The content outline (exercises/outline.py) is kept in Django's cache under
the content's revision: read once, read again whenever the loader writes new
content, never stale, never a model instance shared between requests."""

import shutil

import pytest
from django.db import transaction

from exercises.loader import content_files, load_all
from exercises.outline import current_outline


def _titles():
    return {(step.exercise.slug, step.key): step.title for step in current_outline()}


def _files_with(tmp_path, old, new):
    """The real module files, copied, with one text changed."""
    for path in content_files():
        (tmp_path / path.name).write_text(path.read_text().replace(old, new))
    return tmp_path


def test_it_costs_one_small_query_while_the_content_is_unchanged(content, django_assert_num_queries):
    first = current_outline()
    assert len(first) == content.filter(exercise__is_retired=False, exercise__module__is_retired=False).count()
    with django_assert_num_queries(1):  # the revision, which is in the key
        again = current_outline()
    assert again == first
    # In order, with exercise and module: no query while walking it.
    with django_assert_num_queries(0):
        order = [(s.exercise.module.number, s.exercise.position, s.position) for s in again]
        kinds = {s.type.name for s in again}
    assert order == sorted(order)
    assert "joint_reveal" in kinds


def test_it_reads_new_content_from_the_files_again(content, tmp_path):
    assert _titles()[("speaker-and-listener", "how-it-works")] == "Hearing and listening"
    load_all(_files_with(tmp_path, 'title = "Hearing and listening"', 'title = "Hearing, then listening"'))
    assert _titles()[("speaker-and-listener", "how-it-works")] == "Hearing, then listening"


def test_it_keeps_nothing_of_a_rolled_back_load(content, tmp_path):
    class Undo(Exception):
        pass

    changed = _files_with(tmp_path, 'title = "Hearing and listening"', 'title = "Never committed"')
    with pytest.raises(Undo), transaction.atomic():
        load_all(changed)
        assert _titles()[("speaker-and-listener", "how-it-works")] == "Never committed"
        raise Undo
    assert _titles()[("speaker-and-listener", "how-it-works")] == "Hearing and listening"


def test_loading_the_files_again_drops_a_removed_module(content, tmp_path):
    files = content_files()
    for path in files[:-1]:
        shutil.copy(path, tmp_path / path.name)
    current_outline()
    load_all(tmp_path)
    numbers = {step.exercise.module.number for step in current_outline()}
    assert len(numbers) == len(files) - 1
    load_all()
    assert len({step.exercise.module.number for step in current_outline()}) == len(files)
