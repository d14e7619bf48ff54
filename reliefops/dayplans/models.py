"""Models of the day-plans domain (the Django side of planning: problems from the database, plan runs, draft → review → commit)."""
