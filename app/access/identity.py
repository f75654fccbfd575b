"""`Identity`: who a request to the Agent Server acts for."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from app.access.owners import user_owner, visitor_owner

IdentityKind = Literal["visitor", "user"]


@dataclass(frozen=True)
class Identity:
    """An anonymous visitor or a signed-in user.

    `owner` is the id threads are stamped with (`visitor:<id>` or `user:<sub>`), `name`
    what the UI shows. `access_token` is the user's own OIDC access token, kept only for
    servers that check it themselves; it never appears in repr().
    """

    owner: str
    name: str
    kind: IdentityKind
    access_token: str | None = field(default=None, repr=False, compare=False)

    @classmethod
    def visitor(cls, visitor_id: str, name: str = "Visitor") -> Identity:
        return cls(owner=visitor_owner(visitor_id), name=name, kind="visitor")

    @classmethod
    def user(cls, subject: str, name: str, access_token: str | None = None) -> Identity:
        return cls(owner=user_owner(subject), name=name or subject, kind="user",
                   access_token=access_token)

    @property
    def is_user(self) -> bool:
        return self.kind == "user"
