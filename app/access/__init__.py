"""Who is talking to the Agent Server, and how much they may do.

Plain Python (no Reflex): visitor cookies (`visitor`), the identity a request acts for
(`identity`), the short-lived token the Reflex backend sends to the Agent Server
(`tokens`, `transport`), OpenID Connect sign-in (`oidc`), thread ownership (`owners`)
and per-identity limits for public demos (`limits`).
"""
