from io import StringIO

from exercises import demo
from exercises.models import Commitment, CommitmentLog, Completion, Response
from exercises.progress import load_progress


def test_the_demo_puts_alice_and_bob_part_way_through_modules_one_to_three(couple):
    alice, bob, relationship = couple.partner_a, couple.partner_b, couple.relationship
    demo.seed(alice=alice, bob=bob, therapist=None, relationship=relationship, stdout=StringIO())
    progress = load_progress(alice, relationship, bob)
    started = [m.module.number for m in progress.modules if m.started]
    assert started == [1, 2, 3]
    assert all(m.mine.done < m.mine.total for m in progress.modules[:3])
    assert Commitment.objects.filter(relationship=relationship).count() == 2
    assert CommitmentLog.objects.filter(status="missed").count() == 2


def test_the_demo_is_idempotent(couple):
    alice, bob, relationship = couple.partner_a, couple.partner_b, couple.relationship

    def counts():
        return (Response.objects.count(), Completion.objects.count(), CommitmentLog.objects.count())

    demo.seed(alice=alice, bob=bob, therapist=None, relationship=relationship, stdout=StringIO())
    first = counts()
    demo.seed(alice=alice, bob=bob, therapist=None, relationship=relationship, stdout=StringIO())
    assert counts() == first and first[0] > 0
    assert Commitment.objects.count() == 2
