"""Every action a user can be allowed to take: the vocabulary of the permission check.

:func:`reliefops.core.permissions.require` and its companions take an :class:`Action`, never
a free string, so a typo is an ``AttributeError`` at import time (and a mypy error) rather
than a check that silently forbids. Which role may take which action is the access
policy's business (``reliefops.access.roles.ROLE_ACTIONS``); ``tests/core/test_actions.py``
proves that every action checked in the code is granted to some role and every granted
action is checked somewhere.

A new entity adds its actions here (``convoy.dispatch``, ``round.plan`` …) together with
the code that checks them.
"""

from __future__ import annotations

from enum import StrEnum


class Action(StrEnum):
    """``<entity>.<verb>``; the value is what audit logs and error details show."""

    VIEW = "view"

    # accounts
    USER_MANAGE = "user.manage"
    ORGANISATION_EDIT = "organisation.edit"

    # places
    PLACE_EDIT = "place.edit"
    FACILITY_EDIT = "facility.edit"
    ROAD_EDIT = "road.set_status"

    # stock
    ITEM_EDIT = "item.edit"
    STOCK_RECEIVE = "stock.receive"
    STOCK_DISPATCH = "stock.dispatch"
    STOCK_TRANSFER = "stock.transfer"
    STOCK_ADJUST = "stock.adjust"
    STOCK_COUNT = "stock.count"
    # --- added for commit: holding stock for a load (a convoy's load step), and giving it back
    STOCK_RESERVE = "stock.reserve"
    PLEDGE_EDIT = "pledge.edit"

    # needs: the request workflow, comments, estimators
    REQUEST_SUBMIT = "request.submit"
    REQUEST_VERIFY = "request.verify"
    REQUEST_APPROVE = "request.approve"
    REQUEST_REJECT = "request.reject"
    REQUEST_CANCEL = "request.cancel"
    REQUEST_PLAN = "request.plan"
    REQUEST_DISPATCH = "request.dispatch"
    REQUEST_DELIVER = "request.deliver"
    REQUEST_CLOSE = "request.close"
    COMMENT_ADD = "comment.add"
    ESTIMATOR_EDIT = "estimator.edit"

    # logistics: vehicles and convoys (one action per convoy step)
    VEHICLE_EDIT = "vehicle.edit"
    CONVOY_PLAN = "convoy.plan"
    CONVOY_LOAD = "convoy.load"
    CONVOY_DEPART = "convoy.depart"
    CONVOY_PASSAGE = "convoy.passage"
    CONVOY_ARRIVE = "convoy.arrive"
    CONVOY_DELIVER = "convoy.deliver"
    CONVOY_COMPLETE = "convoy.complete"
    CONVOY_ABORT = "convoy.abort"

    # people: the protected registry
    PERSON_READ = "person.read"
    PERSON_REGISTER = "person.register"
    PERSON_EDIT = "person.edit"
    PERSON_REVEAL = "person.reveal_identity"
    CONSENT_RECORD = "consent.record"
    PERSON_MERGE = "person.merge"
    PERSON_UNMERGE = "person.unmerge"
    PERSON_ERASE = "person.erase"
    PERSON_SUBJECT_ACCESS = "person.subject_access"
    ACCESS_LOG_VIEW = "access_log.view"

    # teams: mobile teams, rounds, visits, referrals, the field hospital
    TEAM_EDIT = "team.edit"
    COVERAGE_EDIT = "coverage.edit"
    ROUND_PLAN = "round.plan"
    ROUND_RUN = "round.run"
    VISIT_RECORD = "visit.record"
    REFERRAL_CREATE = "referral.create"
    REFERRAL_UPDATE = "referral.update"
    HOSPITAL_REPORT = "hospital.report"

    # crossings: crossing-point flows and population baselines
    CROSSING_COUNT_RECORD = "crossing_count.record"
    POPULATION_EDIT = "population.edit"

    # intake: field submissions and KoboToolbox/ODK forms
    SUBMISSION_SEND = "submission.send"
    FORM_LINK_MANAGE = "form_link.manage"

    # dayplans: plans from the database (run, review and edit a draft, commit it)
    PLAN_RUN = "plan.run"
    PLAN_COMMIT = "plan.commit"

    # coordination
    # --- added for meetings: working groups, contacts, meetings, decisions, action items
    WORKING_GROUP_MANAGE = "working_group.manage"
    CONTACT_MANAGE = "contact.manage"
    CONTACT_DETAILS_VIEW = "contact.view_details"
    MEETING_RECORD = "meeting.record"
    ACTION_ITEM_UPDATE = "action_item.update"
    ACTIVITY_EDIT = "activity.edit"

    # bulk exchange
    IMPORT_RUN = "import.run"
    EXPORT_RUN = "export.run"
