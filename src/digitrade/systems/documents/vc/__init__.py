"""W3C Verifiable Credentials 2.0 secured with Data Integrity ``eddsa-jcs-2022`` (pure functions).

- ``multibase``: base58btc / base64url multibase and multicodec-prefixed Ed25519 keys (Multikey);
- ``did``: ``did:key`` for Ed25519 and ``did:web`` documents with key rotation;
- ``eddsa_jcs_2022``: the cryptosuite's create and verify algorithms, step by step
  (W3C Data Integrity EdDSA Cryptosuites v1.0, section 3.3);
- ``status_list``: W3C Bitstring Status List v1.0 (revocation and suspension).

Nothing here touches a database or the network: keys and DID documents are passed in.
"""
