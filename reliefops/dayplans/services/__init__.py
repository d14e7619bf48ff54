"""Services of the day-plans domain (every write; one module per concern):

* ``runs``: start a plan run, its job (build the problem, prepare, the sub-problems as
  Celery tasks, merge and check), progress, cancel;
* ``edits``: edit a draft (move, drop or pin a stop, swap a vehicle), re-checked at once;
* ``commit``: commit a draft into convoys and rounds, exactly once; re-planning.
"""
