"""What the access policy reads: active memberships of active organisations, with areas."""

from __future__ import annotations

import pytest

from reliefops.accounts.choices import Role
from reliefops.accounts.selectors import membership_scopes
from reliefops.core.actions import Action
from reliefops.core.permissions import allowed_area_ids, user_can
from tests.accounts.factories import MembershipFactory, OrganisationFactory, make_user
from tests.places.factories import AdminAreaFactory

pytestmark = pytest.mark.django_db


def test_only_active_memberships_of_active_organisations_grant() -> None:
    area = AdminAreaFactory(code="MS-1")
    below = AdminAreaFactory(code="MS-1-A", level=2, parent=area)
    own = OrganisationFactory(acronym="MSOWN")
    user = make_user(Role.PARTNER, areas=[area], organisation=own)
    closed = OrganisationFactory(acronym="MSCLOSED", is_active=False)
    MembershipFactory(user=user, organisation=closed, role=Role.COORDINATOR)
    MembershipFactory(user=user, organisation=own, role=Role.ADMIN, is_active=False)

    assert membership_scopes(user_id=user.pk) == [(Role.PARTNER, own.pk, (area.pk,))]
    assert allowed_area_ids(user) == {area.pk, below.pk}
    assert not user_can(user, Action.USER_MANAGE)
