"""Tests of offline OpenAttestation verification."""
