"""`make bench`: side-by-side HTTP throughput of real pages vs. a minimal Django view."""
