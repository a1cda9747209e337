"""Tests of the trade document types, their schemas and credit examination."""
