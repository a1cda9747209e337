"""Transport document statuses and the title state machine."""

from __future__ import annotations

from typing import Any

import pytest

from digitrade.core.errors import InvalidTransition
from digitrade.systems.documents.dcsa.states import (
    FINAL_STATUSES,
    STATUS_TRANSITIONS,
    ActionCode,
    DocumentFinal,
    DuplicateIssue,
    EndorsementNotPermitted,
    InvalidRecipient,
    IssueNotFirst,
    MalformedTransaction,
    NoPendingSurrender,
    NotCarrier,
    NotHolder,
    StraightBillNotEndorsable,
    SurrenderNotToCarrier,
    SurrenderPending,
    TitleRuleViolation,
    TitleState,
    TransferNotToEndorsee,
    TransportDocumentStatus,
    UnknownActionCode,
    apply,
    initial_state,
    parse_status,
    replay_chain,
    replay_transactions,
    void,
)

from .helpers import BANK, BUYER, CARRIER, CONSIGNEE, SHIPPER, tx

S = TransportDocumentStatus


def issued(*, to_order: bool) -> TitleState:
    return apply(initial_state(is_to_order=to_order), tx("ISSUE", CARRIER, SHIPPER))


def run(to_order: bool, *transactions: dict[str, Any]) -> TitleState:
    return replay_transactions([tx("ISSUE", CARRIER, SHIPPER), *transactions], is_to_order=to_order)


def test_parse_status_accepts_both_spellings() -> None:
    assert parse_status("SURRENDER_FOR_AMENDMENT") is S.SURRENDERED_FOR_AMENDMENT
    assert parse_status("SURRENDER_FOR_DELIVERY") is S.SURRENDERED_FOR_DELIVERY
    assert parse_status("VOID") is S.VOIDED
    assert all(parse_status(s.value) is s for s in S)
    with pytest.raises(ValueError, match="unknown transportDocumentStatus 'LOST'"):
        parse_status("LOST")


def test_status_transitions_as_data() -> None:
    assert set(STATUS_TRANSITIONS) == set(S)
    assert {S.SURRENDERED_FOR_AMENDMENT, S.SURRENDERED_FOR_DELIVERY, S.VOIDED} == FINAL_STATUSES
    assert S.ISSUED in STATUS_TRANSITIONS[S.APPROVED]
    assert S.ISSUED in STATUS_TRANSITIONS[S.PENDING_SURRENDER_FOR_DELIVERY]  # SREJ
    assert {a.value for a in ActionCode} == {
        "ISSUE", "TRANSFER", "ENDORSE", "ENDORSE_TO_ORDER", "BLANK_ENDORSE",
        "SURRENDER_FOR_DELIVERY", "SURRENDER_FOR_AMENDMENT", "SACC", "SREJ", "SIGN",
    }  # fmt: skip


def test_issue_then_transfer_moves_possession() -> None:
    state = issued(to_order=False)
    assert state.status is S.ISSUED and state.sequence == 1
    assert state.carrier is not None and state.carrier.name == "Carrier Line"
    state = apply(state, tx("TRANSFER", SHIPPER, BUYER))
    assert state.holder is not None and state.holder.name == "Buyer GmbH"
    # the transferor has lost control
    with pytest.raises(NotHolder, match=r"Shipper Ltd .* does not hold the eBL") as info:
        apply(state, tx("TRANSFER", SHIPPER, BANK))
    assert info.value.rule == "holder-only"
    assert isinstance(info.value, InvalidTransition)  # maps to HTTP 409


def test_issue_exactly_once_and_first() -> None:
    with pytest.raises(IssueNotFirst, match="first transaction must be ISSUE, not TRANSFER"):
        apply(initial_state(is_to_order=False), tx("TRANSFER", SHIPPER, BUYER))
    with pytest.raises(DuplicateIssue, match="Carrier Line"):
        apply(issued(to_order=False), tx("ISSUE", CARRIER, BUYER))


def test_sign_needs_possession_and_changes_nothing_else() -> None:
    state = issued(to_order=False)
    signed = apply(state, tx("SIGN", SHIPPER))
    assert signed.holder == state.holder and signed.sequence == 2
    with pytest.raises(NotHolder):
        apply(state, tx("SIGN", BUYER))


def test_straight_bill_cannot_be_endorsed() -> None:
    for action in ("ENDORSE", "ENDORSE_TO_ORDER", "BLANK_ENDORSE"):
        recipient = None if action == "BLANK_ENDORSE" else BUYER
        with pytest.raises(StraightBillNotEndorsable, match=rf"Shipper Ltd .*tried {action}"):
            apply(issued(to_order=False), tx(action, SHIPPER, recipient))


def test_to_order_endorse_then_transfer_to_the_endorsee() -> None:
    state = run(True, tx("ENDORSE_TO_ORDER", SHIPPER, BUYER))
    assert state.endorsee is not None and state.endorsee.name == "Buyer GmbH"
    assert state.holder is not None and state.holder.name == "Shipper Ltd"  # no possession move
    with pytest.raises(TransferNotToEndorsee, match="only be transferred to that endorsee"):
        apply(state, tx("TRANSFER", SHIPPER, BANK))
    state = apply(state, tx("TRANSFER", SHIPPER, BUYER))
    assert state.holder is not None and state.holder.name == "Buyer GmbH"
    # ENDORSE_TO_ORDER lets the buyer endorse on; a plain ENDORSE does not
    state = apply(state, tx("ENDORSE", BUYER, BANK))
    state = apply(state, tx("TRANSFER", BUYER, BANK))
    with pytest.raises(EndorsementNotPermitted, match="Trade Bank"):
        apply(state, tx("ENDORSE", BANK, CONSIGNEE))


def test_to_order_issue_party_must_endorse_before_transfer() -> None:
    with pytest.raises(TransferNotToEndorsee):
        run(True, tx("TRANSFER", SHIPPER, BUYER))


def test_blank_endorsement_makes_a_bearer_document() -> None:
    state = run(True, tx("BLANK_ENDORSE", SHIPPER))
    assert state.blank_endorsed and state.endorsee is None
    state = apply(state, tx("TRANSFER", SHIPPER, BANK))
    state = apply(state, tx("TRANSFER", BANK, BUYER))  # bearer: any transfer
    with pytest.raises(EndorsementNotPermitted, match="already blank endorsed"):
        apply(state, tx("BLANK_ENDORSE", BUYER))
    state = apply(state, tx("ENDORSE", BUYER, CONSIGNEE))  # back to a named endorsee
    assert not state.blank_endorsed
    assert state.endorsee is not None and state.endorsee.name == "Consignee SA"


def test_only_the_endorsee_holder_may_endorse() -> None:
    state = run(True, tx("ENDORSE_TO_ORDER", SHIPPER, BUYER))
    with pytest.raises(NotHolder):
        apply(state, tx("ENDORSE", BUYER, BANK))  # endorsee, but not in possession


def test_surrender_for_delivery_accepted_is_final() -> None:
    state = run(False, tx("TRANSFER", SHIPPER, CONSIGNEE))
    with pytest.raises(SurrenderNotToCarrier, match="must be addressed to the issuing carrier"):
        apply(state, tx("SURRENDER_FOR_DELIVERY", CONSIGNEE, BANK))
    state = apply(state, tx("SURRENDER_FOR_DELIVERY", CONSIGNEE, CARRIER))
    assert state.status is S.PENDING_SURRENDER_FOR_DELIVERY
    with pytest.raises(SurrenderPending, match="only the carrier's SACC or SREJ"):
        apply(state, tx("SIGN", CARRIER))
    with pytest.raises(NotCarrier, match=r"Consignee SA .* is not the carrier"):
        apply(state, tx("SACC", CONSIGNEE, CARRIER))
    state = apply(state, tx("SACC", CARRIER, CONSIGNEE))
    assert state.status is S.SURRENDERED_FOR_DELIVERY and state.is_final
    for late in (tx("SREJ", CARRIER, CONSIGNEE), tx("TRANSFER", CARRIER, BUYER)):
        with pytest.raises(DocumentFinal, match="SURRENDERED_FOR_DELIVERY"):
            apply(state, late)


def test_surrender_for_amendment_rejected_returns_possession() -> None:
    state = run(False, tx("SURRENDER_FOR_AMENDMENT", SHIPPER, CARRIER))
    assert state.status is S.PENDING_SURRENDER_FOR_AMENDMENT
    state = apply(state, tx("SREJ", CARRIER, SHIPPER))
    assert state.status is S.ISSUED
    assert state.holder is not None and state.holder.name == "Shipper Ltd"
    assert state.surrendering_party is None
    accepted = apply(
        apply(state, tx("SURRENDER_FOR_AMENDMENT", SHIPPER, CARRIER)),
        tx("SACC", CARRIER, SHIPPER),
    )
    assert accepted.status is S.SURRENDERED_FOR_AMENDMENT


def test_sacc_srej_need_a_pending_surrender() -> None:
    with pytest.raises(NoPendingSurrender, match="needs a pending surrender"):
        apply(issued(to_order=False), tx("SACC", CARRIER, SHIPPER))


def test_to_order_surrender_needs_the_endorsee() -> None:
    state = run(True, tx("BLANK_ENDORSE", SHIPPER), tx("TRANSFER", SHIPPER, BANK))
    assert apply(state, tx("SURRENDER_FOR_DELIVERY", BANK, CARRIER)).status is (
        S.PENDING_SURRENDER_FOR_DELIVERY
    )


def test_void_is_final_and_carrier_only() -> None:
    state = issued(to_order=False)
    with pytest.raises(NotCarrier):
        void(state, SHIPPER)
    voided = void(state, CARRIER)
    assert voided.status is S.VOIDED and voided.is_final
    with pytest.raises(DocumentFinal):
        apply(voided, tx("TRANSFER", SHIPPER, BUYER))


def test_malformed_and_unknown_transactions() -> None:
    with pytest.raises(UnknownActionCode, match="'TRNS'"):
        apply(issued(to_order=False), {**tx("SIGN", SHIPPER), "actionCode": "TRNS"})
    with pytest.raises(MalformedTransaction, match="TRANSFER needs a recipient"):
        apply(issued(to_order=False), tx("TRANSFER", SHIPPER))
    with pytest.raises(MalformedTransaction, match="identifyingCodes"):
        apply(issued(to_order=False), tx("SIGN", {"partyName": "x", "eblPlatform": "WAVE"}))
    with pytest.raises(InvalidRecipient, match="to itself"):
        apply(issued(to_order=False), tx("TRANSFER", SHIPPER, SHIPPER))


def test_parties_match_on_platform_and_a_shared_code() -> None:
    renamed = {**SHIPPER, "partyName": "Shipper Limited"}
    state = apply(issued(to_order=False), tx("TRANSFER", renamed, BUYER))
    assert state.holder is not None and state.holder.name == "Buyer GmbH"
    elsewhere = {**SHIPPER, "eblPlatform": "CARX"}
    with pytest.raises(NotHolder):
        apply(issued(to_order=False), tx("TRANSFER", elsewhere, BUYER))


def test_replay_chain_over_entries() -> None:
    entries = [
        {"transactions": [tx("ISSUE", CARRIER, SHIPPER)]},
        {"transactions": [tx("TRANSFER", SHIPPER, BUYER), tx("SIGN", BUYER)]},
    ]
    state = replay_chain(entries, is_to_order=False, entry_checksums=["a" * 64, "b" * 64])
    assert state.sequence == 3 and state.last_entry_checksum == "b" * 64
    with pytest.raises(MalformedTransaction, match="chain entry 2 has no transactions"):
        replay_chain([entries[0], {"transactions": []}], is_to_order=False)
    with pytest.raises(TitleRuleViolation) as info:
        replay_chain(list(reversed(entries)), is_to_order=False)
    assert info.value.rule == "issue-first"
    assert info.value.to_problem()["rule"] == "issue-first"
