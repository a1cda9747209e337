"""Merkle tree properties: our iterative, store-style code against the recursive definitions.

The reference functions below transcribe RFC 9162 sec. 2.1.1 (MTH), 2.1.3.1 (PATH), 2.1.4.1
(PROOF/SUBPROOF) and the SUBTREE_PROOF generalisation of draft-ietf-plants-merkle-tree-certs
literally, slicing lists and recursing, so that they share no code or shortcut with the module.
"""

from __future__ import annotations

import hashlib
import random
from functools import cache

import pytest

from digitrade.core.ledger.merkle import (
    EMPTY_ROOT,
    HASH_SIZE,
    MAX_TREE_SIZE,
    HashLengthError,
    InMemoryTree,
    MerkleFrontier,
    ProofError,
    ProofLengthError,
    RootMismatchError,
    TreeRangeError,
    consistency_plan,
    consistency_proof,
    inclusion_plan,
    inclusion_proof,
    is_valid_subtree,
    leaf_hash,
    node_hash,
    nodes_needed,
    proof_from_plan,
    root_from_consistency_proof,
    root_from_inclusion_proof,
    root_from_leaf_hashes,
    root_from_nodes,
    root_from_subtree_consistency_proof,
    root_plan,
    subtree_consistency_plan,
    subtree_consistency_proof,
    subtree_inclusion_plan,
    verify_consistency,
    verify_inclusion,
    verify_subtree_consistency,
    verify_subtree_inclusion,
)

SEED = 20261126


# --- Reference definitions -------------------------------------------------------------------


class ReferenceTree:
    """RFC 9162 definitions over a fixed list of leaf hashes, addressed by [lo, hi) ranges."""

    def __init__(self, leaf_hashes: list[bytes]) -> None:
        self.leaves = leaf_hashes
        self.mth = cache(self._mth)

    @staticmethod
    def split(n: int) -> int:
        """The largest power of two smaller than n (n > 1)."""
        k = 1
        while k * 2 < n:
            k *= 2
        return k

    def _mth(self, lo: int, hi: int) -> bytes:
        n = hi - lo
        if n == 0:
            return hashlib.sha256(b"").digest()
        if n == 1:
            return self.leaves[lo]
        k = self.split(n)
        return hashlib.sha256(b"\x01" + self.mth(lo, lo + k) + self.mth(lo + k, hi)).digest()

    def path(self, m: int, lo: int, hi: int) -> list[bytes]:
        n = hi - lo
        if n == 1:
            return []
        k = self.split(n)
        if m < k:
            return [*self.path(m, lo, lo + k), self.mth(lo + k, hi)]
        return [*self.path(m - k, lo + k, hi), self.mth(lo, lo + k)]

    def subtree_subproof(self, start: int, end: int, lo: int, hi: int, known: bool) -> list[bytes]:
        """SUBTREE_SUBPROOF; with start == 0 it is RFC 9162 SUBPROOF(end, D[lo:hi], known)."""
        n = hi - lo
        if start == 0 and end == n:
            return [] if known else [self.mth(lo, hi)]
        k = self.split(n)
        if end <= k:
            return [*self.subtree_subproof(start, end, lo, lo + k, known), self.mth(lo + k, hi)]
        if start >= k:
            return [
                *self.subtree_subproof(start - k, end - k, lo + k, hi, known),
                self.mth(lo, lo + k),
            ]
        assert start == 0  # a valid subtree straddling k starts at 0
        return [*self.subtree_subproof(0, end - k, lo + k, hi, False), self.mth(lo, lo + k)]


def distinct_leaves(count: int, salt: str = "") -> list[bytes]:
    return [leaf_hash(f"{salt}entry {i}".encode()) for i in range(count)]


def flip_bit(value: bytes, bit: int = 0) -> bytes:
    return bytes([value[0] ^ (1 << bit), *value[1:]])


def valid_subtrees(size: int) -> list[tuple[int, int]]:
    return [
        (start, end)
        for end in range(1, size + 1)
        for start in range(end)
        if is_valid_subtree(start, end)
    ]


def random_sizes(count: int, limit: int = 300) -> list[int]:
    rng = random.Random(SEED)
    return sorted(
        {rng.randint(1, limit) for _ in range(count)} | {1, 2, 3, 4, 5, 7, 8, 9, 255, 256}
    )


# --- Hashing ------------------------------------------------------------------------------------


def test_hashes_follow_rfc9162_domain_separation():
    assert leaf_hash(b"") == hashlib.sha256(b"\x00").digest()
    left, right = leaf_hash(b"a"), leaf_hash(b"b")
    assert node_hash(left, right) == hashlib.sha256(b"\x01" + left + right).digest()
    assert EMPTY_ROOT.hex() == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"


@pytest.mark.parametrize("size", range(0, 70))
def test_roots_agree_with_the_recursive_definition(size):
    leaves = distinct_leaves(size)
    expected = ReferenceTree(leaves).mth(0, size)
    tree = InMemoryTree(leaves)
    frontier = MerkleFrontier()
    for value in leaves:
        frontier.append(value)
    assert root_from_leaf_hashes(leaves) == expected
    assert tree.root() == expected
    assert root_from_nodes(size, tree.get_node) == expected
    assert frontier.root() == expected
    assert MerkleFrontier.from_nodes(size, tree.get_node).root() == expected


# --- Generation against the definitions, exhaustively for small trees ---------------------------


@pytest.mark.parametrize("size", range(1, 41))
def test_inclusion_proofs_are_rfc_paths_and_verify(size):
    leaves = distinct_leaves(size)
    reference = ReferenceTree(leaves)
    tree = InMemoryTree(leaves)
    root = tree.root()
    for index in range(size):
        proof = inclusion_proof(index, size, tree.get_node)
        assert proof == reference.path(index, 0, size)
        verify_inclusion(leaves[index], index, size, proof, root)


@pytest.mark.parametrize("new_size", range(1, 41))
def test_consistency_proofs_are_rfc_proofs_and_verify(new_size):
    leaves = distinct_leaves(new_size)
    reference = ReferenceTree(leaves)
    tree = InMemoryTree(leaves)
    for old_size in range(1, new_size + 1):
        proof = consistency_proof(old_size, new_size, tree.get_node)
        assert proof == reference.subtree_subproof(0, old_size, 0, new_size, True)
        verify_consistency(old_size, new_size, proof, tree.root(old_size), tree.root())


@pytest.mark.parametrize("size", range(1, 41))
def test_subtree_proofs_match_the_draft_definition_and_verify(size):
    leaves = distinct_leaves(size)
    reference = ReferenceTree(leaves)
    tree = InMemoryTree(leaves)
    root = tree.root()
    for start, end in valid_subtrees(size):
        subtree_root = tree.subtree_root(start, end)
        assert subtree_root == reference.mth(start, end)
        proof = subtree_consistency_proof(start, end, size, tree.get_node)
        assert proof == reference.subtree_subproof(start, end, 0, size, True)
        verify_subtree_consistency(start, end, size, proof, subtree_root, root)
        for index in range(start, end):
            inner = tree.subtree_inclusion_proof(index, start, end)
            assert inner == reference.path(index - start, start, end)
            verify_subtree_inclusion(leaves[index], index, start, end, inner, subtree_root)


# --- Random trees up to ~300 leaves: every proof verifies, every tampering fails ---------------


@pytest.mark.parametrize("size", random_sizes(25))
def test_inclusion_proofs_verify_and_detect_tampering(size):
    rng = random.Random(SEED + size)
    leaves = distinct_leaves(size, salt="inclusion")
    tree = InMemoryTree(leaves)
    root = tree.root()
    for index in sorted({0, size - 1, *(rng.randrange(size) for _ in range(12))}):
        proof = tree.inclusion_proof(index)
        verify_inclusion(leaves[index], index, size, proof, root)
        assert root_from_inclusion_proof(leaves[index], index, size, proof) == root
        for position in range(len(proof)):
            tampered = [*proof]
            tampered[position] = flip_bit(proof[position], rng.randrange(8))
            with pytest.raises(RootMismatchError):
                verify_inclusion(leaves[index], index, size, tampered, root)
        with pytest.raises(RootMismatchError):
            verify_inclusion(flip_bit(leaves[index]), index, size, proof, root)
        with pytest.raises(RootMismatchError):
            verify_inclusion(leaves[index], index, size, proof, flip_bit(root))
        other = (index + 1 + rng.randrange(size - 1)) % size if size > 1 else index
        if other != index:
            with pytest.raises(ProofError):
                verify_inclusion(leaves[index], other, size, proof, root)
        with pytest.raises(ProofLengthError):
            verify_inclusion(
                leaves[index], index, size, [*proof, proof[0] if proof else root], root
            )
        if proof:
            with pytest.raises(ProofLengthError):
                verify_inclusion(leaves[index], index, size, proof[:-1], root)


@pytest.mark.parametrize("new_size", random_sizes(25))
def test_consistency_proofs_verify_and_detect_tampering(new_size):
    rng = random.Random(SEED - new_size)
    tree = InMemoryTree(distinct_leaves(new_size, salt="consistency"))
    new_root = tree.root()
    for old_size in sorted({1, new_size, *(rng.randint(1, new_size) for _ in range(12))}):
        old_root = tree.root(old_size)
        proof = tree.consistency_proof(old_size)
        verify_consistency(old_size, new_size, proof, old_root, new_root)
        assert root_from_consistency_proof(old_size, new_size, proof, old_root) == new_root
        for position in range(len(proof)):
            tampered = [*proof]
            tampered[position] = flip_bit(proof[position], rng.randrange(8))
            with pytest.raises(RootMismatchError):
                verify_consistency(old_size, new_size, tampered, old_root, new_root)
        with pytest.raises(RootMismatchError):
            verify_consistency(old_size, new_size, proof, old_root, flip_bit(new_root))
        with pytest.raises(RootMismatchError):
            verify_consistency(old_size, new_size, proof, flip_bit(old_root), new_root)
        with pytest.raises(ProofLengthError):
            verify_consistency(old_size, new_size, [*proof, new_root], old_root, new_root)
        if proof:
            with pytest.raises(ProofLengthError):
                verify_consistency(old_size, new_size, proof[1:], old_root, new_root)
        if old_size < new_size:
            with pytest.raises(TreeRangeError):
                verify_consistency(new_size, old_size, proof, new_root, old_root)


@pytest.mark.parametrize("size", random_sizes(12))
def test_subtree_proofs_verify_and_detect_tampering(size):
    rng = random.Random(SEED * 3 + size)
    leaves = distinct_leaves(size, salt="subtree")
    tree = InMemoryTree(leaves)
    root = tree.root()
    subtrees = valid_subtrees(size)
    for start, end in rng.sample(subtrees, min(40, len(subtrees))):
        subtree_root = tree.subtree_root(start, end)
        proof = tree.subtree_consistency_proof(start, end)
        verify_subtree_consistency(start, end, size, proof, subtree_root, root)
        assert root_from_subtree_consistency_proof(start, end, size, proof, subtree_root) == root
        for position in range(len(proof)):
            tampered = [*proof]
            tampered[position] = flip_bit(proof[position])
            with pytest.raises(RootMismatchError):
                verify_subtree_consistency(start, end, size, tampered, subtree_root, root)
        with pytest.raises(RootMismatchError):
            verify_subtree_consistency(start, end, size, proof, flip_bit(subtree_root), root)
        index = rng.randrange(start, end)
        inner = tree.subtree_inclusion_proof(index, start, end)
        verify_subtree_inclusion(leaves[index], index, start, end, inner, subtree_root)
        with pytest.raises(RootMismatchError):
            verify_subtree_inclusion(
                flip_bit(leaves[index]), index, start, end, inner, subtree_root
            )


# --- Store behaviour: O(log n) reads of complete nodes only ------------------------------------


def synthetic_reader(size: int, reads: list[tuple[int, int]]):
    """A stand-in for a huge stored tree: any complete node has some hash; reads are recorded."""

    def get_node(level: int, index: int) -> bytes:
        assert level >= 0
        assert index >= 0
        assert (index + 1) << level <= size, f"node ({level}, {index}) is not complete at {size}"
        reads.append((level, index))
        return hashlib.sha256(b"%d/%d" % (level, index)).digest()

    return get_node


@pytest.mark.parametrize("size", [1, 2, 3, 1000, 2**20, 1_000_000, 2**40 + 12345, MAX_TREE_SIZE])
def test_proofs_read_logarithmically_many_complete_nodes(size):
    rng = random.Random(SEED + 7)
    bound = 2 * size.bit_length() + 2
    for _ in range(50):
        index = rng.randrange(size)
        reads: list[tuple[int, int]] = []
        proof = inclusion_proof(index, size, synthetic_reader(size, reads))
        assert len(reads) <= bound
        assert set(reads) == nodes_needed(inclusion_plan(index, size))
        assert all(len(element) == HASH_SIZE for element in proof)

        old_size = rng.randint(1, size)
        reads = []
        consistency_proof(old_size, size, synthetic_reader(size, reads))
        assert len(reads) <= bound
        assert set(reads) == nodes_needed(consistency_plan(old_size, size))

    reads = []
    root_from_nodes(size, synthetic_reader(size, reads))
    assert len(reads) == size.bit_count()


def test_plans_let_a_store_fetch_every_node_in_one_query():
    tree = InMemoryTree(distinct_leaves(77))
    for plan in (
        inclusion_plan(41, 77),
        consistency_plan(23, 77),
        subtree_consistency_plan(32, 48, 77),
        subtree_inclusion_plan(50, 48, 56),
    ):
        fetched = {node: tree.get_node(*node) for node in nodes_needed(plan)}

        def from_one_query(level: int, index: int, fetched=fetched) -> bytes:
            return fetched[(level, index)]

        assert proof_from_plan(plan, from_one_query) == proof_from_plan(plan, tree.get_node)
    assert root_plan(0) == ()
    assert root_plan(6) == ((2, 0), (1, 2))


# --- Incremental trees -------------------------------------------------------------------------


def test_frontier_reports_every_node_it_completes():
    leaves = distinct_leaves(100)
    tree = InMemoryTree(leaves)
    frontier = MerkleFrontier()
    stored: dict[tuple[int, int], bytes] = {}
    for size, value in enumerate(leaves, start=1):
        for node, node_value in frontier.append(value):
            assert node not in stored
            stored[node] = node_value
        assert frontier.size == size
        assert frontier.root() == tree.root(size)
        assert frontier.node_ids() == root_plan(size)
    assert stored == {
        (level, index): tree.get_node(level, index)
        for level in range(7)
        for index in range(100 >> level)
    }


def test_frontier_resumes_from_stored_nodes():
    leaves = distinct_leaves(50)
    tree = InMemoryTree(leaves)
    frontier = MerkleFrontier.from_nodes(29, tree.get_node)
    assert frontier.hashes == tuple(tree.get_node(*node) for node in root_plan(29))
    for value in leaves[29:]:
        frontier.append(value)
    assert frontier.root() == tree.root()


def test_frontier_rejects_a_wrong_shape():
    with pytest.raises(ProofLengthError, match="has 2 hashes"):
        MerkleFrontier(3, [EMPTY_ROOT])
    with pytest.raises(HashLengthError):
        MerkleFrontier(1, [b"short"])
    with pytest.raises(HashLengthError):
        MerkleFrontier().append(b"not a hash")
    with pytest.raises(TreeRangeError):
        MerkleFrontier(MAX_TREE_SIZE + 1, [])


def test_in_memory_tree_extend_equals_append():
    leaves = distinct_leaves(300)
    appended = InMemoryTree()
    for value in leaves:
        appended.append(value)
    extended = InMemoryTree(leaves[:1])
    extended.extend(leaves[1:130])
    extended.extend([])
    extended.extend(leaves[130:])
    for size in (0, 1, 2, 129, 130, 131, 256, 300):
        assert appended.root(size) == extended.root(size)
    assert appended.get_node(8, 0) == extended.get_node(8, 0)


def test_in_memory_tree_refuses_what_it_does_not_hold():
    tree = InMemoryTree.from_entries([b"a", b"b", b"c"])
    assert tree.get_node(0, 2) == leaf_hash(b"c")
    for level, index in [(1, 1), (2, 0), (0, 3), (-1, 0), (0, -1)]:
        with pytest.raises(LookupError, match="not a complete subtree"):
            tree.get_node(level, index)
    with pytest.raises(TreeRangeError):
        tree.root(4)
    with pytest.raises(TreeRangeError):
        tree.inclusion_proof(0, 4)
    with pytest.raises(HashLengthError):
        tree.append(b"a")
    with pytest.raises(HashLengthError):
        tree.extend([leaf_hash(b"d"), b"e"])
    assert tree.subtree_root(1, 1) == EMPTY_ROOT


# --- Edge cases with clear errors --------------------------------------------------------------

LEAF = leaf_hash(b"entry")


@pytest.mark.parametrize(
    ("index", "size", "message"),
    [
        (0, 0, "not in a tree of size 0"),
        (1, 1, "not in a tree of size 1"),
        (5, 3, "not in a tree of size 3"),
        (-1, 3, "not in a tree of size 3"),
        (0, MAX_TREE_SIZE + 1, "outside 0..2\\*\\*64-1"),
    ],
)
def test_inclusion_range_errors(index, size, message):
    with pytest.raises(TreeRangeError, match=message):
        verify_inclusion(LEAF, index, size, [], LEAF)
    with pytest.raises(TreeRangeError, match=message):
        inclusion_proof(index, size, synthetic_reader(max(size, 0), []))


def test_inclusion_of_the_only_leaf_needs_no_proof():
    verify_inclusion(LEAF, 0, 1, [], LEAF)
    with pytest.raises(ProofLengthError, match="must have 0 hashes, got 1"):
        verify_inclusion(LEAF, 0, 1, [LEAF], LEAF)


def test_hash_sizes_are_checked():
    with pytest.raises(HashLengthError, match="leaf hash has 0 bytes"):
        verify_inclusion(b"", 0, 1, [], LEAF)
    with pytest.raises(HashLengthError, match="proof hash 0 has 31 bytes"):
        verify_inclusion(LEAF, 0, 2, [LEAF[:31]], LEAF)


@pytest.mark.parametrize(
    ("old_size", "new_size", "error", "message"),
    [
        (2, 1, TreeRangeError, "old tree size 2 is larger than new tree size 1"),
        (0, 0, TreeRangeError, "from the empty tree"),
        (0, 5, TreeRangeError, "from the empty tree"),
        (-1, 5, TreeRangeError, "outside"),
        (3, MAX_TREE_SIZE + 1, TreeRangeError, "outside"),
    ],
)
def test_consistency_range_errors(old_size, new_size, error, message):
    with pytest.raises(error, match=message):
        verify_consistency(old_size, new_size, [], EMPTY_ROOT, EMPTY_ROOT)
    with pytest.raises(error, match=message):
        consistency_proof(old_size, new_size, synthetic_reader(8, []))


def test_equal_sizes_need_an_empty_proof_and_equal_roots():
    tree = InMemoryTree(distinct_leaves(6))
    assert tree.consistency_proof(6) == []
    verify_consistency(6, 6, [], tree.root(), tree.root())
    with pytest.raises(ProofLengthError, match="must have 0 hashes, got 1"):
        verify_consistency(6, 6, [tree.root()], tree.root(), tree.root())
    with pytest.raises(RootMismatchError, match="new root does not match"):
        verify_consistency(6, 6, [], tree.root(), tree.root(5))


def test_consistency_errors_say_which_root_failed():
    tree = InMemoryTree(distinct_leaves(7))
    proof = tree.consistency_proof(3)
    with pytest.raises(RootMismatchError, match="old root does not match") as info:
        verify_consistency(3, 7, proof, tree.root(2), tree.root())
    assert info.value.expected == tree.root(2)
    with pytest.raises(RootMismatchError, match="new root does not match"):
        verify_consistency(3, 7, proof, tree.root(3), tree.root(6))


def test_subtree_argument_errors():
    with pytest.raises(TreeRangeError, match="not a subtree"):
        verify_subtree_consistency(2, 5, 8, [], EMPTY_ROOT, EMPTY_ROOT)
    with pytest.raises(TreeRangeError, match="is after its end"):
        verify_subtree_consistency(3, 2, 8, [], EMPTY_ROOT, EMPTY_ROOT)
    with pytest.raises(TreeRangeError, match="is not in a tree of size 4"):
        verify_subtree_consistency(4, 8, 4, [], EMPTY_ROOT, EMPTY_ROOT)
    with pytest.raises(TreeRangeError, match="not in the subtree"):
        verify_subtree_inclusion(LEAF, 3, 4, 8, [], EMPTY_ROOT)
    with pytest.raises(TreeRangeError, match="says nothing about the root"):
        root_from_subtree_consistency_proof(2, 2, 4, [], EMPTY_ROOT)
    # An empty subtree is in every tree that reaches its position; only its hash is checked.
    verify_subtree_consistency(2, 2, 4, [], EMPTY_ROOT, b"any root")
    assert subtree_consistency_proof(2, 2, 4, synthetic_reader(4, [])) == []
    with pytest.raises(ProofLengthError):
        verify_subtree_consistency(2, 2, 4, [EMPTY_ROOT], EMPTY_ROOT, EMPTY_ROOT)
    with pytest.raises(RootMismatchError):
        verify_subtree_consistency(2, 2, 4, [], LEAF, EMPTY_ROOT)


def test_subtree_validity_rule():
    assert is_valid_subtree(0, 7)
    assert is_valid_subtree(8, 13)
    assert is_valid_subtree(5, 5)
    assert not is_valid_subtree(4, 9)  # 5 leaves need a start that is a multiple of 8
    assert not is_valid_subtree(1, 3)
    assert not is_valid_subtree(3, 2)


def test_a_full_frontier_refuses_more_leaves():
    frontier = MerkleFrontier(MAX_TREE_SIZE, [EMPTY_ROOT] * MAX_TREE_SIZE.bit_count())
    with pytest.raises(TreeRangeError, match="the tree is full"):
        frontier.append(LEAF)


def test_in_memory_tree_frontier_at_a_past_size():
    tree = InMemoryTree(distinct_leaves(40))
    assert tree.frontier(27).root() == tree.root(27)
    assert tree.frontier().hashes == MerkleFrontier.from_nodes(40, tree.get_node).hashes
