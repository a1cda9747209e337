"""Cryptographic building blocks: canonical JSON, digests, keys and signatures."""
