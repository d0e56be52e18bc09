"""Run jobs at the same moment on separate database connections (PostgreSQL tests)."""

import threading

from django.db import connection


def run_together(jobs) -> tuple[list[Exception], list]:
    """Start every job in its own thread behind one barrier; each thread has its own
    database connection, closed afterwards. Returns (errors, results)."""
    barrier = threading.Barrier(len(jobs))
    errors, results = [], []

    def run(job):
        try:
            barrier.wait()
            results.append(job())
        except Exception as exc:  # collected for the test to assert on
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors, results
