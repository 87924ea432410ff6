"""The gunicorn worker ``zugong serve`` runs: gthread, spreading kept-alive connections.

A kept-alive connection stays with the worker process that accepted it, and every worker
polls the same listening socket. When connections arrive while all workers are idle, one
worker often wins the race for most of them and then runs them all on one core (the
GIL), while its siblings idle: the people benchmark saw 94 % and 13 % of a core.
"""

import time

from gunicorn.workers.gthread import ThreadWorker

# Long enough for an idle sibling, woken by the same connection, to accept it first.
YIELD_SECONDS = 0.005


class BalancedThreadWorker(ThreadWorker):
    def accept(self, listener):
        if self.cfg.workers > 1 and self.nr_conns >= self.cfg.threads:
            # Already a connection per thread: let an idle sibling take this one. If none
            # does, the socket is still readable and this worker accepts it after all.
            time.sleep(YIELD_SECONDS)
        super().accept(listener)
