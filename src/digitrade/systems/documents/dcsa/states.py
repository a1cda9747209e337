"""Transport document statuses and the title (possession / endorsement) state machine (pure).

Sources: EBL_v3.0.3.yaml ``TransportDocument.transportDocumentStatus`` (and the differently spelt
``TransportDocumentData.transportDocumentStatus`` of the notifications), and EBL_PINT_v3.0.0.yaml
``Transaction.actionCode``. The title machine implements the legal notion of control: exactly one
party holds the eBL at a time, and a transfer deprives the transferor of control (UNCITRAL MLETR
arts. 10-11; UK Electronic Trade Documents Act 2023 s.2(2)(c) and (e)).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

from digitrade.core.errors import InvalidTransition
from digitrade.core.statemachine import check_transition, terminal_states


class TransportDocumentStatus(StrEnum):
    """``TransportDocument.transportDocumentStatus`` (EBL_v3.0.3.yaml)."""

    DRAFT = "DRAFT"
    APPROVED = "APPROVED"
    ISSUED = "ISSUED"
    PENDING_SURRENDER_FOR_AMENDMENT = "PENDING_SURRENDER_FOR_AMENDMENT"
    SURRENDERED_FOR_AMENDMENT = "SURRENDERED_FOR_AMENDMENT"
    PENDING_SURRENDER_FOR_DELIVERY = "PENDING_SURRENDER_FOR_DELIVERY"
    SURRENDERED_FOR_DELIVERY = "SURRENDERED_FOR_DELIVERY"
    VOIDED = "VOIDED"


_S = TransportDocumentStatus

# The notification object TransportDocumentData (EBL_v3.0.3.yaml) spells three statuses
# differently; both spellings mean the same state.
STATUS_ALIASES: dict[str, TransportDocumentStatus] = {
    "SURRENDER_FOR_AMENDMENT": _S.SURRENDERED_FOR_AMENDMENT,
    "SURRENDER_FOR_DELIVERY": _S.SURRENDERED_FOR_DELIVERY,
    "VOID": _S.VOIDED,
}


def parse_status(value: str) -> TransportDocumentStatus:
    """The status named by ``value`` in either spelling; ``ValueError`` when unknown."""
    alias = STATUS_ALIASES.get(value)
    if alias is not None:
        return alias
    try:
        return TransportDocumentStatus(value)
    except ValueError:
        raise ValueError(f"unknown transportDocumentStatus {value!r}") from None


# Status transitions as data (EBL_v3.0.3.yaml status descriptions, research note section 2.3).
# A pending surrender either completes (SACC) or returns to ISSUED (SREJ). Surrendered and voided
# documents are final: an amendment is issued as a new document with a new transfer chain.
STATUS_TRANSITIONS: Mapping[TransportDocumentStatus, frozenset[TransportDocumentStatus]] = {
    _S.DRAFT: frozenset({_S.APPROVED, _S.VOIDED}),
    _S.APPROVED: frozenset({_S.ISSUED, _S.VOIDED}),
    _S.ISSUED: frozenset(
        {_S.PENDING_SURRENDER_FOR_AMENDMENT, _S.PENDING_SURRENDER_FOR_DELIVERY, _S.VOIDED}
    ),
    _S.PENDING_SURRENDER_FOR_AMENDMENT: frozenset({_S.SURRENDERED_FOR_AMENDMENT, _S.ISSUED}),
    _S.PENDING_SURRENDER_FOR_DELIVERY: frozenset({_S.SURRENDERED_FOR_DELIVERY, _S.ISSUED}),
    _S.SURRENDERED_FOR_AMENDMENT: frozenset(),
    _S.SURRENDERED_FOR_DELIVERY: frozenset(),
    _S.VOIDED: frozenset(),
}
FINAL_STATUSES = terminal_states(STATUS_TRANSITIONS)


class ActionCode(StrEnum):
    """``Transaction.actionCode`` (EBL_PINT_v3.0.0.yaml)."""

    ISSUE = "ISSUE"
    TRANSFER = "TRANSFER"
    ENDORSE = "ENDORSE"
    ENDORSE_TO_ORDER = "ENDORSE_TO_ORDER"
    BLANK_ENDORSE = "BLANK_ENDORSE"
    SURRENDER_FOR_DELIVERY = "SURRENDER_FOR_DELIVERY"
    SURRENDER_FOR_AMENDMENT = "SURRENDER_FOR_AMENDMENT"
    SACC = "SACC"
    SREJ = "SREJ"
    SIGN = "SIGN"


_A = ActionCode
_PENDING_FOR = {
    _A.SURRENDER_FOR_DELIVERY: _S.PENDING_SURRENDER_FOR_DELIVERY,
    _A.SURRENDER_FOR_AMENDMENT: _S.PENDING_SURRENDER_FOR_AMENDMENT,
}
_SURRENDERED_FROM = {
    _S.PENDING_SURRENDER_FOR_DELIVERY: _S.SURRENDERED_FOR_DELIVERY,
    _S.PENDING_SURRENDER_FOR_AMENDMENT: _S.SURRENDERED_FOR_AMENDMENT,
}
# Actions that need a designated recipient (Transaction.recipient); BLANK_ENDORSE and SIGN have
# none, and SACC/SREJ are addressed to the surrendering party implicitly.
_NEEDS_RECIPIENT = frozenset(
    {_A.ISSUE, _A.TRANSFER, _A.ENDORSE, _A.ENDORSE_TO_ORDER, *_PENDING_FOR}
)


# --- errors: one class per rule, so callers (and the PINT verifier) can tell them apart --------


class TitleRuleViolation(InvalidTransition):
    """A transaction the title rules forbid. ``rule`` names the rule broken."""

    code = "dcsa-title-rule"
    rule = "title-rule"

    def __init__(self, detail: str, *, actor: Party | None = None) -> None:
        super().__init__(detail, extra={"rule": self.rule, "actor": actor.label if actor else None})
        self.actor = actor


class UnknownActionCode(TitleRuleViolation):
    rule = "unknown-action-code"


class MalformedTransaction(TitleRuleViolation):
    rule = "malformed-transaction"


class IssueNotFirst(TitleRuleViolation):
    rule = "issue-first"


class DuplicateIssue(TitleRuleViolation):
    rule = "issue-once"


class DocumentFinal(TitleRuleViolation):
    rule = "final-status"


class NotHolder(TitleRuleViolation):
    rule = "holder-only"


class NotCarrier(TitleRuleViolation):
    rule = "carrier-only"


class NoPendingSurrender(TitleRuleViolation):
    rule = "surrender-pending-required"


class SurrenderPending(TitleRuleViolation):
    rule = "surrender-pending"


class SurrenderNotToCarrier(TitleRuleViolation):
    rule = "surrender-to-carrier"


class StraightBillNotEndorsable(TitleRuleViolation):
    rule = "straight-not-endorsable"


class EndorsementNotPermitted(TitleRuleViolation):
    rule = "endorsement-not-permitted"


class TransferNotToEndorsee(TitleRuleViolation):
    rule = "transfer-to-endorsee"


class InvalidRecipient(TitleRuleViolation):
    rule = "recipient"


# --- parties and transactions ------------------------------------------------------------------


@dataclass(frozen=True)
class Party:
    """A transaction party (``ActorParty`` / ``RecipientParty``) reduced to what identifies it:
    its eBL platform and its identifying codes (``codeListProvider``, ``partyCode``)."""

    platform: str
    codes: frozenset[tuple[str, str]]
    name: str = ""

    @classmethod
    def from_json(cls, value: Any, *, role: str = "party") -> Party:
        if not isinstance(value, Mapping):
            raise MalformedTransaction(f"{role} must be an object")
        codes = value.get("identifyingCodes") or []
        pairs = frozenset(
            (str(code.get("codeListProvider", "")), str(code.get("partyCode", "")))
            for code in codes
            if isinstance(code, Mapping)
        )
        platform = value.get("eblPlatform")
        if not isinstance(platform, str) or not pairs:
            raise MalformedTransaction(f"{role} needs an eblPlatform and identifyingCodes")
        return cls(platform=platform, codes=pairs, name=str(value.get("partyName", "")))

    def same_as(self, other: Party | None) -> bool:
        """Same platform and at least one identifying code in common."""
        return (
            other is not None and self.platform == other.platform and bool(self.codes & other.codes)
        )

    @property
    def label(self) -> str:
        code = ", ".join(f"{p}:{c}" for p, c in sorted(self.codes))
        return f"{self.name or '?'} ({self.platform}; {code})"


@dataclass(frozen=True)
class Transaction:
    """A parsed ``Transaction`` (EBL_PINT_v3.0.0.yaml)."""

    action: ActionCode
    actor: Party
    recipient: Party | None
    action_date_time: str
    reason_code: str | None = None

    @classmethod
    def from_json(cls, value: Mapping[str, Any]) -> Transaction:
        if not isinstance(value, Mapping):
            raise MalformedTransaction("a transaction must be an object")
        raw_action = value.get("actionCode")
        try:
            action = ActionCode(str(raw_action))
        except ValueError:
            raise UnknownActionCode(f"unknown actionCode {raw_action!r}") from None
        actor = Party.from_json(value.get("actor"), role="actor")
        raw_recipient = value.get("recipient")
        recipient = (
            Party.from_json(raw_recipient, role="recipient") if raw_recipient is not None else None
        )
        if action in _NEEDS_RECIPIENT and recipient is None:
            raise MalformedTransaction(f"{action.value} needs a recipient", actor=actor)
        reason = value.get("reasonCode")
        return cls(
            action=action,
            actor=actor,
            recipient=recipient,
            action_date_time=str(value.get("actionDateTime", "")),
            reason_code=reason if isinstance(reason, str) else None,
        )


# --- the title state -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TitleState:
    """Who controls the eBL and on what terms, after ``sequence`` transactions.

    - ``carrier``: the issuer (actor of ``ISSUE``), the only party who may accept or reject a
      surrender;
    - ``holder``: the party in exclusive control (possession);
    - ``endorsee``: for a to-order eBL, the party the document is currently made out to (the
      ``ISSUE`` recipient, then each named endorsee); ``None`` when blank endorsed;
    - ``may_endorse``: whether the current endorsee may endorse further (``ENDORSE`` gives no
      such power, ``ENDORSE_TO_ORDER`` does);
    - ``surrendering_party``: who asked for the pending surrender (possession returns to them on
      ``SREJ``).
    """

    is_to_order: bool
    status: TransportDocumentStatus = TransportDocumentStatus.APPROVED
    carrier: Party | None = None
    holder: Party | None = None
    endorsee: Party | None = None
    may_endorse: bool = False
    blank_endorsed: bool = False
    surrendering_party: Party | None = None
    sequence: int = 0
    last_entry_checksum: str | None = None

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES


def initial_state(*, is_to_order: bool) -> TitleState:
    """An approved, not yet issued document (``TransportDocument.isToOrder`` decides whether it is
    negotiable)."""
    return TitleState(is_to_order=is_to_order)


def _move(state: TitleState, target: TransportDocumentStatus) -> TransportDocumentStatus:
    try:
        return check_transition(STATUS_TRANSITIONS, state.status, target)
    except InvalidTransition as exc:  # rules below should have caught it first: keep the reason
        raise TitleRuleViolation(exc.detail) from exc


def apply(state: TitleState, transaction: Mapping[str, Any] | Transaction) -> TitleState:
    """The state after one transaction, or a ``TitleRuleViolation`` subclass naming the rule.

    Rules (EBL_PINT_v3.0.0.yaml, ``Transaction.actionCode`` description):
    ``ISSUE`` exactly once, first; afterwards only the holder acts, except ``SACC`` / ``SREJ``
    which only the carrier may record, on a pending surrender; surrenders go to the carrier;
    nothing follows a final status; straight (non-negotiable) eBLs are never endorsed.
    """
    tx = transaction if isinstance(transaction, Transaction) else Transaction.from_json(transaction)
    action, actor, recipient = tx.action, tx.actor, tx.recipient
    who = actor.label

    if state.sequence == 0 and action is not _A.ISSUE:
        raise IssueNotFirst(f"the first transaction must be ISSUE, not {action.value}", actor=actor)
    if action is _A.ISSUE:
        if state.sequence != 0:
            raise DuplicateIssue(
                f"ISSUE may appear only once, as the first transaction ({who} tried again)",
                actor=actor,
            )
        assert recipient is not None  # Transaction.from_json guarantees it
        return replace(
            state,
            status=_move(state, _S.ISSUED),
            carrier=actor,
            holder=recipient,
            # a to-order eBL is issued to the order of the issue-to party, who may endorse it
            endorsee=recipient if state.is_to_order else None,
            may_endorse=state.is_to_order,
            sequence=1,
        )
    if state.is_final:
        raise DocumentFinal(
            f"the document is {state.status.value}: no transaction may follow "
            f"({who} tried {action.value})",
            actor=actor,
        )

    if action in (_A.SACC, _A.SREJ):
        if not actor.same_as(state.carrier):
            raise NotCarrier(
                f"only the issuing carrier may record {action.value}; {who} is not the carrier",
                actor=actor,
            )
        if state.status not in _SURRENDERED_FROM:
            raise NoPendingSurrender(
                f"{action.value} needs a pending surrender; the document is {state.status.value}",
                actor=actor,
            )
        if action is _A.SACC:
            return replace(
                state,
                status=_move(state, _SURRENDERED_FROM[state.status]),
                sequence=state.sequence + 1,
            )
        return replace(  # SREJ: possession goes back to whoever asked for the surrender
            state,
            status=_move(state, _S.ISSUED),
            holder=state.surrendering_party,
            surrendering_party=None,
            sequence=state.sequence + 1,
        )

    if state.status in _SURRENDERED_FROM:
        raise SurrenderPending(
            f"a surrender is pending: only the carrier's SACC or SREJ may follow "
            f"({who} tried {action.value})",
            actor=actor,
        )
    if not actor.same_as(state.holder):
        holder = state.holder.label if state.holder else "nobody"
        raise NotHolder(
            f"only the holder ({holder}) may {action.value}; {who} does not hold the eBL",
            actor=actor,
        )
    if recipient is not None and recipient.same_as(actor) and action is not _A.SIGN:
        raise InvalidRecipient(f"{who} cannot {action.value} to itself", actor=actor)
    step = replace(state, sequence=state.sequence + 1)

    if action is _A.SIGN:  # confirms possession; changes nothing
        return step
    if action is _A.TRANSFER:
        assert recipient is not None
        if state.is_to_order and not state.blank_endorsed and not recipient.same_as(state.endorsee):
            endorsee = state.endorsee.label if state.endorsee else "nobody"
            raise TransferNotToEndorsee(
                f"a to-order eBL made out to {endorsee} can only be transferred to that endorsee "
                f"(endorse it first); {who} tried to transfer to {recipient.label}",
                actor=actor,
            )
        return replace(step, holder=recipient)  # the transferor loses control
    if action in (_A.ENDORSE, _A.ENDORSE_TO_ORDER, _A.BLANK_ENDORSE):
        if not state.is_to_order:
            raise StraightBillNotEndorsable(
                f"a straight (non-negotiable) eBL cannot be endorsed ({who} tried {action.value})",
                actor=actor,
            )
        # a blank-endorsed (bearer) eBL may be endorsed by whoever holds it; otherwise only the
        # endorsee in possession, and only if the previous endorsement was to order
        if not state.blank_endorsed and not (actor.same_as(state.endorsee) and state.may_endorse):
            raise EndorsementNotPermitted(
                f"{who} may not endorse: only the current endorsee holding an eBL made out to "
                "its order may endorse it",
                actor=actor,
            )
        if action is _A.BLANK_ENDORSE:
            if state.blank_endorsed:
                raise EndorsementNotPermitted(
                    f"the eBL is already blank endorsed ({who})", actor=actor
                )
            return replace(step, endorsee=None, may_endorse=False, blank_endorsed=True)
        return replace(
            step,
            endorsee=recipient,
            may_endorse=action is _A.ENDORSE_TO_ORDER,
            blank_endorsed=False,
        )
    # SURRENDER_FOR_DELIVERY / SURRENDER_FOR_AMENDMENT
    assert recipient is not None
    if not recipient.same_as(state.carrier):
        raise SurrenderNotToCarrier(
            f"{action.value} must be addressed to the issuing carrier, not {recipient.label} "
            f"(by {who})",
            actor=actor,
        )
    if state.is_to_order and not state.blank_endorsed and not actor.same_as(state.endorsee):
        raise NotHolder(
            f"{who} holds a to-order eBL made out to someone else and cannot surrender it",
            actor=actor,
        )
    return replace(
        step,
        status=_move(state, _PENDING_FOR[action]),
        holder=state.carrier,  # the carrier has control while it decides
        surrendering_party=actor,
    )


def replay_transactions(
    transactions: Iterable[Mapping[str, Any] | Transaction],
    *,
    is_to_order: bool,
    state: TitleState | None = None,
) -> TitleState:
    """Apply transactions in order, from ``state`` (default: a fresh approved document)."""
    current = state if state is not None else initial_state(is_to_order=is_to_order)
    for transaction in transactions:
        current = apply(current, transaction)
    return current


def replay_chain(
    entries: Iterable[Mapping[str, Any]],
    *,
    is_to_order: bool,
    entry_checksums: Sequence[str] | None = None,
) -> TitleState:
    """Apply every transaction of every ``EnvelopeTransferChainEntry`` payload, in order.

    ``entry_checksums`` (SHA-256 of each entry's signed content) fills ``last_entry_checksum``.
    """
    current = initial_state(is_to_order=is_to_order)
    for index, entry in enumerate(entries):
        transactions = entry.get("transactions") if isinstance(entry, Mapping) else None
        if not isinstance(transactions, list) or not transactions:
            raise MalformedTransaction(f"chain entry {index + 1} has no transactions")
        current = replay_transactions(transactions, is_to_order=is_to_order, state=current)
        if entry_checksums is not None:
            current = replace(current, last_entry_checksum=entry_checksums[index])
    return current


def void(state: TitleState, actor: Mapping[str, Any] | Party) -> TitleState:
    """The carrier voids the document (EBL status ``VOIDED``; final). Not a PINT transaction."""
    party = actor if isinstance(actor, Party) else Party.from_json(actor, role="actor")
    if state.carrier is not None and not party.same_as(state.carrier):
        raise NotCarrier(
            f"only the issuing carrier may void the document; {party.label} is not", actor=party
        )
    if state.is_final:
        raise DocumentFinal(f"the document is already {state.status.value}", actor=party)
    return replace(state, status=_move(state, _S.VOIDED))
