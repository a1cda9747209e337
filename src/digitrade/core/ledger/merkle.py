"""RFC 9162 Merkle tree hashing, proofs and proof verification (pure).

Storage model: a log keeps the hash of every *complete* (perfect) subtree, addressed as
``(level, index)``: the subtree of ``2**level`` leaves that starts at leaf ``index * 2**level``.
Level 0 holds the leaf hashes. Those hashes never change once written, so they can be stored in rows
or tiles. Everything else (the root of any tree size, the ragged right edge, every proof) is
computed from O(log n) of them, read through a ``get_node(level, index)`` callback.

Subtree proofs (``[start, end)`` ranges of the log) follow draft-ietf-plants-merkle-tree-certs,
"Subtrees"; with ``start == 0`` they are exactly the RFC 9162 consistency proofs.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

HASH_SIZE = 32
MAX_TREE_SIZE = 2**64 - 1  # RFC 9162 encodes tree_size as a uint64

_sha256 = hashlib.sha256

EMPTY_ROOT = _sha256(b"").digest()
"""MTH({}) = SHA-256 of the empty string (RFC 9162 sec. 2.1.1)."""

NodeId = tuple[int, int]
"""``(level, index)`` of a perfect subtree: leaves ``[index << level, (index + 1) << level)``."""

NodeReader = Callable[[int, int], bytes]
"""Returns the stored hash of the perfect subtree at ``(level, index)``."""

ProofPlan = tuple[tuple[NodeId, ...], ...]
"""One entry per proof hash: the perfect subtrees (left to right) whose combination is that hash."""


class ProofError(ValueError):
    """A Merkle proof cannot be produced for these arguments, or does not verify."""


class TreeRangeError(ProofError):
    """A leaf index, tree size or subtree range is out of range for the requested proof."""


class ProofLengthError(ProofError):
    """The proof has the wrong number of hashes for the tree sizes it claims to connect."""


class HashLengthError(ProofError):
    """A leaf hash or proof hash is not a SHA-256 digest."""


class RootMismatchError(ProofError):
    """The proof leads to a different root than the one expected."""

    def __init__(self, what: str, *, expected: bytes, computed: bytes) -> None:
        super().__init__(
            f"{what} does not match: expected {expected.hex() or '(empty)'}, "
            f"proof gives {computed.hex()}"
        )
        self.expected = expected
        self.computed = computed


# --- Hashing (RFC 9162 sec. 2.1.1) -----------------------------------------------------------


def leaf_hash(data: bytes) -> bytes:
    """MTH of a single entry: SHA-256(0x00 || data)."""
    return _sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    """Interior node: SHA-256(0x01 || left || right)."""
    return _sha256(b"\x01" + left + right).digest()


def root_from_leaf_hashes(hashes: Sequence[bytes]) -> bytes:
    """MTH of a whole tree from its leaf hashes, level by level in O(n).

    Pairing neighbours and promoting an odd last node gives the same tree as the recursive
    definition, whose split point k (the largest power of two below n) keeps every node aligned.
    """
    if not hashes:
        return EMPTY_ROOT
    level = list(hashes)
    while len(level) > 1:
        paired = [
            _sha256(b"\x01" + left + right).digest()
            for left, right in zip(level[0::2], level[1::2], strict=False)
        ]
        if len(level) & 1:
            paired.append(level[-1])
        level = paired
    return level[0]


# --- Tree arithmetic -------------------------------------------------------------------------


def _trailing_zeros(value: int) -> int:
    return (value & -value).bit_length() - 1


def _check_tree_size(name: str, value: int) -> None:
    if not 0 <= value <= MAX_TREE_SIZE:
        raise TreeRangeError(f"{name} {value} is outside 0..2**64-1")


def is_valid_subtree(start: int, end: int) -> bool:
    """Whether ``[start, end)`` is a subtree: start is a multiple of BIT_CEIL(end - start).

    draft-ietf-plants-merkle-tree-certs, "Subtrees". The empty range ``[k, k)`` counts as valid.
    """
    if not 0 <= start <= end:
        return False
    size = end - start
    if size <= 1:
        return True
    bit_ceil = 1 << (size - 1).bit_length()
    return start % bit_ceil == 0


def _is_tree_node(start: int, end: int, size: int) -> bool:
    """Whether the subtree ``[start, end)`` is itself a node of the tree of ``size`` leaves.

    It is when it is perfect, or when it runs to the right edge of the tree. Otherwise it is an
    older version of a node, as in an RFC 9162 consistency proof from a size that is not a power
    of two.
    """
    count = end - start
    return count & (count - 1) == 0 or end == size


def _node_parts(level: int, index: int, size: int) -> tuple[NodeId, ...]:
    """Perfect subtrees (left to right) that make up node ``(level, index)`` of a tree of ``size``.

    A node cut by the right edge covers ``[index << level, size)``; its hash is the MTH of those
    leaves: the perfect subtrees of the binary decomposition of its leaf count, combined from the
    right (RFC 9162 sec. 2.1.1 always splits off the largest power of two on the left).
    """
    begin = index << level
    count = size - begin
    if count >= 1 << level:
        return ((level, index),)
    parts: list[NodeId] = []
    for part_level in range(level - 1, -1, -1):
        if count >> part_level & 1:
            parts.append((part_level, begin >> part_level))
            begin += 1 << part_level
    return tuple(parts)


def hash_of_parts(parts: Sequence[NodeId], get_node: NodeReader) -> bytes:
    """Combine perfect subtrees, given left to right, into the hash of the range they cover."""
    level, index = parts[-1]
    result = get_node(level, index)
    for position in range(len(parts) - 2, -1, -1):
        level, index = parts[position]
        result = _sha256(b"\x01" + get_node(level, index) + result).digest()
    return result


# --- Proof plans: which stored nodes a proof needs --------------------------------------------


def root_plan(size: int) -> tuple[NodeId, ...]:
    """Perfect subtrees whose combination is the root of the tree of ``size`` leaves.

    These are also the log's frontier (compact range ``[0, size)``). Empty for the empty tree.
    """
    _check_tree_size("tree size", size)
    if size == 0:
        return ()
    return _node_parts((size - 1).bit_length(), 0, size)


def _subtree_plan(start: int, end: int, size: int) -> ProofPlan:
    """SUBTREE_PROOF(start, end, D[size]) as a plan, bottom-up; arguments already validated.

    Walks from the subtree up to the root along the path of leaf ``end - 1``: a right child takes
    its left sibling (always perfect); a left child takes its right sibling, which may be the
    ragged right edge of the tree; a node on the right edge without a sibling is skipped.
    """
    plan: list[tuple[NodeId, ...]] = []
    last = end - 1
    if _is_tree_node(start, end, size):
        # The verifier already knows this node's hash: start at the subtree root.
        level = (last ^ start).bit_length()
    else:
        # Start from the largest perfect subtree ending at `end`, which the verifier lacks.
        level = _trailing_zeros(end - start)
        plan.append(((level, last >> level),))
    index = last >> level
    tree_last = (size - 1) >> level
    while tree_last:
        if index & 1:
            plan.append(((level, index - 1),))
        elif index < tree_last:
            plan.append(_node_parts(level, index + 1, size))
        index >>= 1
        tree_last >>= 1
        level += 1
    return tuple(plan)


def inclusion_plan(index: int, size: int) -> ProofPlan:
    """Plan of the RFC 9162 sec. 2.1.3.1 inclusion proof of leaf ``index`` in a tree of ``size``."""
    _check_tree_size("tree size", size)
    if not 0 <= index < size:
        raise TreeRangeError(f"leaf index {index} is not in a tree of size {size}")
    return _subtree_plan(index, index + 1, size)


def consistency_plan(old_size: int, new_size: int) -> ProofPlan:
    """Plan of the RFC 9162 sec. 2.1.4.1 consistency proof between two tree sizes."""
    _check_consistency_sizes(old_size, new_size)
    return _subtree_plan(0, old_size, new_size)


def subtree_inclusion_plan(index: int, start: int, end: int) -> ProofPlan:
    """Plan of the inclusion proof of leaf ``index`` in the subtree ``[start, end)``."""
    _check_subtree_for_inclusion(index, start, end)
    # Inside an aligned subtree, node (level, i) of the subtree is node (level, i + start >> level).
    inner = _subtree_plan(index - start, index - start + 1, end - start)
    return tuple(
        tuple((level, node_index + (start >> level)) for level, node_index in parts)
        for parts in inner
    )


def subtree_consistency_plan(start: int, end: int, size: int) -> ProofPlan:
    """Plan of the proof that the subtree ``[start, end)`` is part of the tree of ``size``."""
    _check_subtree_in_tree(start, end, size)
    if start == end:
        return ()
    return _subtree_plan(start, end, size)


def nodes_needed(plan: ProofPlan) -> set[NodeId]:
    """Every stored node a plan reads: fetch them in one query, then build the proof."""
    return {node for parts in plan for node in parts}


def proof_from_plan(plan: ProofPlan, get_node: NodeReader) -> list[bytes]:
    return [hash_of_parts(parts, get_node) for parts in plan]


# --- Proof generation over stored nodes --------------------------------------------------------


def root_from_nodes(size: int, get_node: NodeReader) -> bytes:
    """Root of the tree of ``size`` leaves from at most log2(size) + 1 stored nodes."""
    parts = root_plan(size)
    return hash_of_parts(parts, get_node) if parts else EMPTY_ROOT


def inclusion_proof(index: int, size: int, get_node: NodeReader) -> list[bytes]:
    """Audit path of leaf ``index`` in the tree of ``size`` leaves (RFC 9162 sec. 2.1.3.1)."""
    return proof_from_plan(inclusion_plan(index, size), get_node)


def consistency_proof(old_size: int, new_size: int, get_node: NodeReader) -> list[bytes]:
    """Consistency proof from ``old_size`` to ``new_size`` (RFC 9162 sec. 2.1.4.1).

    Requires ``0 < old_size <= new_size``: RFC 9162 defines PROOF(m, D[n]) for m > 0 only.
    """
    return proof_from_plan(consistency_plan(old_size, new_size), get_node)


def subtree_inclusion_proof(index: int, start: int, end: int, get_node: NodeReader) -> list[bytes]:
    """Inclusion proof of leaf ``index`` in the subtree ``[start, end)``: up to its own hash."""
    return proof_from_plan(subtree_inclusion_plan(index, start, end), get_node)


def subtree_consistency_proof(start: int, end: int, size: int, get_node: NodeReader) -> list[bytes]:
    """Proof that the subtree ``[start, end)`` is contained in the tree of ``size`` leaves."""
    return proof_from_plan(subtree_consistency_plan(start, end, size), get_node)


# --- Verification (RFC 9162 sec. 2.1.3.2 and 2.1.4.2) ------------------------------------------


def _check_consistency_sizes(old_size: int, new_size: int) -> None:
    _check_tree_size("old tree size", old_size)
    _check_tree_size("new tree size", new_size)
    if old_size > new_size:
        raise TreeRangeError(f"old tree size {old_size} is larger than new tree size {new_size}")
    if old_size == 0:
        # RFC 9162 sec. 2.1.4 defines consistency for 0 < m <= n only: every tree extends the
        # empty tree, so there is nothing to prove and no proof to check.
        raise TreeRangeError("a consistency proof from the empty tree (size 0) is undefined")


def _check_subtree(start: int, end: int) -> None:
    _check_tree_size("subtree start", start)
    _check_tree_size("subtree end", end)
    if start > end:
        raise TreeRangeError(f"subtree start {start} is after its end {end}")
    if not is_valid_subtree(start, end):
        raise TreeRangeError(
            f"[{start}, {end}) is not a subtree: start must be a multiple of the smallest power "
            "of two >= end - start"
        )


def _check_subtree_for_inclusion(index: int, start: int, end: int) -> None:
    _check_subtree(start, end)
    if not start <= index < end:
        raise TreeRangeError(f"leaf index {index} is not in the subtree [{start}, {end})")


def _check_subtree_in_tree(start: int, end: int, size: int) -> None:
    _check_subtree(start, end)
    _check_tree_size("tree size", size)
    if end > size:
        raise TreeRangeError(f"subtree [{start}, {end}) is not in a tree of size {size}")


def _check_hash(what: str, value: bytes) -> None:
    if len(value) != HASH_SIZE:
        raise HashLengthError(f"{what} has {len(value)} bytes, a SHA-256 hash has {HASH_SIZE}")


def _expected_proof_length(start: int, end: int, size: int) -> int:
    """Number of hashes in SUBTREE_PROOF(start, end, D[size]), counted like ``_subtree_plan``."""
    last = end - 1
    if _is_tree_node(start, end, size):
        level = (last ^ start).bit_length()
        count = 0
    else:
        level = _trailing_zeros(end - start)
        count = 1
    index = last >> level
    tree_last = (size - 1) >> level
    while tree_last:
        if index & 1 or index < tree_last:
            count += 1
        index >>= 1
        tree_last >>= 1
    return count


def _walk_proof(
    start: int, end: int, size: int, proof: Sequence[bytes], subtree_hash: bytes, what: str
) -> bytes:
    """Root of the tree of ``size`` leaves from the subtree ``[start, end)`` and its proof.

    RFC 9162 sec. 2.1.4.2 generalised to any subtree (with ``start == end - 1`` it is the inclusion
    check of sec. 2.1.3.2). Two hashes climb the path of leaf ``end - 1`` together: ``tree``
    takes every sibling; ``subtree`` takes only the left siblings still inside ``[start, end)``
    and must come out equal to ``subtree_hash`` (``what`` names it in the error).
    """
    expected = _expected_proof_length(start, end, size)
    if len(proof) != expected:
        raise ProofLengthError(
            f"proof for [{start}, {end}) in a tree of size {size} must have {expected} hashes, "
            f"got {len(proof)}"
        )
    for position, element in enumerate(proof):
        _check_hash(f"proof hash {position}", element)

    last = end - 1
    position = 0
    if _is_tree_node(start, end, size):
        level = (last ^ start).bit_length()
        seed = subtree_hash
    else:
        level = _trailing_zeros(end - start)
        seed = proof[0]
        position = 1
    subtree = tree = seed
    index = last >> level
    first = start >> level
    tree_last = (size - 1) >> level
    while tree_last:
        if index & 1:
            sibling = proof[position]
            position += 1
            tree = _sha256(b"\x01" + sibling + tree).digest()
            if first < index:
                subtree = _sha256(b"\x01" + sibling + subtree).digest()
        elif index < tree_last:
            tree = _sha256(b"\x01" + tree + proof[position]).digest()
            position += 1
        index >>= 1
        first >>= 1
        tree_last >>= 1
    if subtree != subtree_hash:
        raise RootMismatchError(what, expected=subtree_hash, computed=subtree)
    return tree


def root_from_inclusion_proof(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes]
) -> bytes:
    """Root that the inclusion proof of ``leaf_hash`` at ``index`` leads to (RFC 9162 2.1.3.2)."""
    _check_tree_size("tree size", size)
    if not 0 <= index < size:
        raise TreeRangeError(f"leaf index {index} is not in a tree of size {size}")
    _check_hash("leaf hash", leaf_hash)
    return _walk_proof(index, index + 1, size, proof, leaf_hash, "leaf hash")


def verify_inclusion(
    leaf_hash: bytes, index: int, size: int, proof: Sequence[bytes], root: bytes
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the tree of ``size`` with ``root``.

    Raises a ``ProofError`` subclass saying what is wrong; returns None when the proof holds.
    """
    computed = root_from_inclusion_proof(leaf_hash, index, size, proof)
    if computed != root:
        raise RootMismatchError("tree root", expected=root, computed=computed)


def root_from_consistency_proof(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes
) -> bytes:
    """New root that a consistency proof leads to, after checking it reproduces ``old_root``.

    RFC 9162 sec. 2.1.4.2; equal sizes need an empty proof and give ``old_root`` back.
    """
    _check_consistency_sizes(old_size, new_size)
    return _walk_proof(0, old_size, new_size, proof, old_root, "old root")


def verify_consistency(
    old_size: int, new_size: int, proof: Sequence[bytes], old_root: bytes, new_root: bytes
) -> None:
    """Check that the tree of ``new_size`` with ``new_root`` extends the one of ``old_size``."""
    computed = root_from_consistency_proof(old_size, new_size, proof, old_root)
    if computed != new_root:
        raise RootMismatchError("new root", expected=new_root, computed=computed)


def verify_subtree_inclusion(
    leaf_hash: bytes,
    index: int,
    start: int,
    end: int,
    proof: Sequence[bytes],
    subtree_root: bytes,
) -> None:
    """Check that ``leaf_hash`` is leaf ``index`` of the subtree ``[start, end)``.

    draft-ietf-plants-merkle-tree-certs, "Subtree Inclusion Proofs": an inclusion proof of leaf
    ``index - start`` in the tree of ``end - start`` leaves whose root is the subtree hash.
    """
    _check_subtree_for_inclusion(index, start, end)
    verify_inclusion(leaf_hash, index - start, end - start, proof, subtree_root)


def root_from_subtree_consistency_proof(
    start: int, end: int, size: int, proof: Sequence[bytes], subtree_root: bytes
) -> bytes:
    """Tree root that a subtree consistency proof leads to, after checking ``subtree_root``."""
    _check_subtree_in_tree(start, end, size)
    if start == end:
        raise TreeRangeError("an empty subtree says nothing about the root of the tree")
    return _walk_proof(start, end, size, proof, subtree_root, "subtree root")


def verify_subtree_consistency(
    start: int,
    end: int,
    size: int,
    proof: Sequence[bytes],
    subtree_root: bytes,
    root: bytes,
) -> None:
    """Check that the subtree ``[start, end)`` with ``subtree_root`` is part of the tree ``root``.

    draft-ietf-plants-merkle-tree-certs, "Subtree Consistency Proofs". An empty subtree
    ``[k, k)`` with ``k <= size`` is part of every such tree: it needs an empty proof and the
    empty-tree hash, and says nothing about ``root``.
    """
    _check_subtree_in_tree(start, end, size)
    if start == end:
        if proof:
            raise ProofLengthError(f"proof for the empty subtree must be empty, got {len(proof)}")
        if subtree_root != EMPTY_ROOT:
            raise RootMismatchError(
                "empty subtree hash", expected=EMPTY_ROOT, computed=subtree_root
            )
        return
    computed = _walk_proof(start, end, size, proof, subtree_root, "subtree root")
    if computed != root:
        raise RootMismatchError("tree root", expected=root, computed=computed)


# --- Incremental trees ------------------------------------------------------------------------


class MerkleFrontier:
    """The right edge of a log: the perfect subtree hashes of ``[0, size)``, largest first.

    Enough to append leaves and compute the root without reading the rest of the tree. ``append``
    reports every perfect subtree that the new leaf completes, which is what a store persists.
    """

    __slots__ = ("_hashes", "_size")

    def __init__(self, size: int = 0, hashes: Sequence[bytes] = ()) -> None:
        _check_tree_size("tree size", size)
        if len(hashes) != size.bit_count():
            raise ProofLengthError(
                f"a frontier of size {size} has {size.bit_count()} hashes, got {len(hashes)}"
            )
        for position, value in enumerate(hashes):
            _check_hash(f"frontier hash {position}", value)
        self._size = size
        self._hashes = list(hashes)

    @classmethod
    def from_nodes(cls, size: int, get_node: NodeReader) -> MerkleFrontier:
        """Load the frontier of a stored tree: ``size.bit_count()`` node reads."""
        return cls(size, [get_node(level, index) for level, index in root_plan(size)])

    @property
    def size(self) -> int:
        return self._size

    @property
    def hashes(self) -> tuple[bytes, ...]:
        return tuple(self._hashes)

    def node_ids(self) -> tuple[NodeId, ...]:
        return root_plan(self._size)

    def append(self, leaf_hash: bytes) -> list[tuple[NodeId, bytes]]:
        """Add a leaf; return the completed perfect subtrees, the leaf first, as (id, hash)."""
        _check_hash("leaf hash", leaf_hash)
        if self._size == MAX_TREE_SIZE:
            raise TreeRangeError("the tree is full")
        index = self._size
        level = 0
        current = leaf_hash
        completed: list[tuple[NodeId, bytes]] = [((0, index), current)]
        hashes = self._hashes
        while index & 1:
            current = _sha256(b"\x01" + hashes.pop() + current).digest()
            index >>= 1
            level += 1
            completed.append(((level, index), current))
        hashes.append(current)
        self._size += 1
        return completed

    def root(self) -> bytes:
        hashes = self._hashes
        if not hashes:
            return EMPTY_ROOT
        result = hashes[-1]
        for position in range(len(hashes) - 2, -1, -1):
            result = _sha256(b"\x01" + hashes[position] + result).digest()
        return result


class InMemoryTree:
    """Every perfect subtree hash of a tree, level by level, in memory.

    For tests, benchmarks and small logs; its ``get_node`` is the callback the proof functions
    take, so it behaves exactly like a database-backed store.
    """

    __slots__ = ("_levels",)

    def __init__(self, leaf_hashes: Iterable[bytes] = ()) -> None:
        self._levels: list[list[bytes]] = [[]]
        self.extend(leaf_hashes)

    @classmethod
    def from_entries(cls, entries: Iterable[bytes]) -> InMemoryTree:
        """A tree over raw entries, each hashed as a leaf."""
        return cls(leaf_hash(entry) for entry in entries)

    @property
    def size(self) -> int:
        return len(self._levels[0])

    def append(self, leaf_hash: bytes) -> None:
        _check_hash("leaf hash", leaf_hash)
        levels = self._levels
        index = len(levels[0])
        levels[0].append(leaf_hash)
        level = 0
        current = leaf_hash
        while index & 1:
            current = _sha256(b"\x01" + levels[level][index - 1] + current).digest()
            index >>= 1
            level += 1
            if level == len(levels):
                levels.append([])
            levels[level].append(current)

    def extend(self, leaf_hashes: Iterable[bytes]) -> None:
        """Append many leaves, hashing each new level in one pass."""
        new = list(leaf_hashes)
        for position, value in enumerate(new):
            _check_hash(f"leaf hash {position}", value)
        levels = self._levels
        levels[0].extend(new)
        level = 0
        while True:
            below = levels[level]
            if level + 1 == len(levels):
                if len(below) < 2:
                    return
                levels.append([])
            above = levels[level + 1]
            complete = len(below) // 2
            if complete == len(above):
                return
            above.extend(
                _sha256(b"\x01" + below[2 * i] + below[2 * i + 1]).digest()
                for i in range(len(above), complete)
            )
            level += 1

    def get_node(self, level: int, index: int) -> bytes:
        """Hash of the perfect subtree ``(level, index)``; it must be complete."""
        try:
            if level < 0 or index < 0:
                raise IndexError
            return self._levels[level][index]
        except IndexError:
            raise LookupError(
                f"node ({level}, {index}) is not a complete subtree of a tree of size {self.size}"
            ) from None

    def _size_or_current(self, size: int | None) -> int:
        if size is None:
            return self.size
        if not 0 <= size <= self.size:
            raise TreeRangeError(f"tree size {size} is not in 0..{self.size}")
        return size

    def root(self, size: int | None = None) -> bytes:
        """Root of the tree as it was at ``size`` leaves (default: now)."""
        return root_from_nodes(self._size_or_current(size), self.get_node)

    def frontier(self, size: int | None = None) -> MerkleFrontier:
        return MerkleFrontier.from_nodes(self._size_or_current(size), self.get_node)

    def inclusion_proof(self, index: int, size: int | None = None) -> list[bytes]:
        return inclusion_proof(index, self._size_or_current(size), self.get_node)

    def consistency_proof(self, old_size: int, new_size: int | None = None) -> list[bytes]:
        return consistency_proof(old_size, self._size_or_current(new_size), self.get_node)

    def subtree_root(self, start: int, end: int) -> bytes:
        """MTH(D[start:end]) of a subtree ``[start, end)`` within the current tree."""
        _check_subtree_in_tree(start, end, self.size)
        if start == end:
            return EMPTY_ROOT
        level = ((end - 1) ^ start).bit_length()
        return hash_of_parts(_node_parts(level, start >> level, end), self.get_node)

    def subtree_inclusion_proof(self, index: int, start: int, end: int) -> list[bytes]:
        _check_subtree_in_tree(start, end, self.size)
        return subtree_inclusion_proof(index, start, end, self.get_node)

    def subtree_consistency_proof(
        self, start: int, end: int, size: int | None = None
    ) -> list[bytes]:
        return subtree_consistency_proof(start, end, self._size_or_current(size), self.get_node)
