"""DCSA electronic bill of lading 3.0 and platform interoperability (PINT) 3.0, as pure engines.

- ``schema``: JSON Schema validation against schemas derived from the DCSA OpenAPI component
  schemas (shipped in ``data/dcsa``; see its SOURCE.md);
- ``states``: transport document statuses and the title (possession / endorsement) state machine
  driven by PINT ``Transaction.actionCode``;
- ``jws``: compact JWS signing and verification (EdDSA, RS256, PS256, ES256);
- ``pint``: building and verifying ``EblEnvelope`` transfer chains and signed responses.

Nothing here touches a database or the network: keys and the receiver's knowledge are passed in.
"""
