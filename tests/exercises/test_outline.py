"""The content outline each process keeps in memory (exercises/outline.py):
read once, read again whenever the content changes, never stale."""

import shutil

import pytest
from django.db import transaction

from exercises.loader import content_files, load_all
from exercises.models import Step
from exercises.outline import current_outline


def _titles():
    return {step.pk: step.title for step in current_outline()}


def test_unchanged_content_costs_one_small_query(content, django_assert_num_queries):
    first = current_outline()
    assert len(first) == content.filter(exercise__is_retired=False, exercise__module__is_retired=False).count()
    with django_assert_num_queries(1):
        again = current_outline()
    assert again is first
    # In order, with exercise and module loaded: no query while walking it.
    with django_assert_num_queries(0):
        order = [(s.exercise.module.number, s.exercise.position, s.position) for s in again]
    assert order == sorted(order)


def test_a_saved_step_is_read_again(content, django_assert_num_queries):
    current_outline()
    step = Step.objects.current().first()
    step.title = "A gentler title"
    step.save()
    with django_assert_num_queries(2):  # the token, then the steps
        assert _titles()[step.pk] == "A gentler title"


def test_a_rolled_back_change_is_not_kept(content):
    step = Step.objects.current().first()
    before = _titles()[step.pk]

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        step.title = "Never committed"
        step.save()
        assert _titles()[step.pk] == "Never committed"
        raise Undo
    assert _titles()[step.pk] == before


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
