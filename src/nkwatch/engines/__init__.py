"""Engines that run the per-document stages somewhere other than this process.

The in-process engine is `nkwatch.pipeline.ingest_paths`. `nkwatch.engines.dask` runs
read, split, describe and extract on Dask workers (a local cluster, or a scheduler
named by its address) and feeds their results, in reading order, to the same global
stages (`pipeline.store_batch`: resolve, dedupe, store) in this process. Dask is an
optional extra: `pip install 'nkwatch[dask]'`.
"""
