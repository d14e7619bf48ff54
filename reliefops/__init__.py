"""ReliefOps: an operations platform for humanitarian coordination.

Kept import-free on purpose: ``reliefops.planning`` must import without Django or Celery.
The Celery app is loaded by ``reliefops.core.apps.CoreConfig.ready``.
"""

__version__ = "0.1.0"
