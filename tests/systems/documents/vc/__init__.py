"""Tests of the W3C Verifiable Credentials engine (eddsa-jcs-2022, DIDs, status lists)."""
