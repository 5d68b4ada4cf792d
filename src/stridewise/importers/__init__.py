"""Importers: one module per format, behind one dispatch function (``dispatch.decode``).

Each reader turns a file's bytes into canonical ``Activity`` objects (``stridewise.model``) and
does nothing else: no cleaning, no merging, no storing — those are the import pipeline's
(``stridewise.pipeline``). The readers:

- ``fit`` (with ``fit_bulk``, the numpy decoder, and ``fit_messages``, what both decode into);
- ``gpx`` and ``tcx`` (with ``track``, what the two derive from a track alike, and ``xmlsafe``);
- ``csv_dispatch``, where every CSV goes: ``csv_log`` (a runner's own log), ``strava_list`` and
  ``garmin_list`` (Strava's and Garmin Connect's activity lists), on ``stridewise.csvtext``;
- ``garmin_export`` and ``strava_export``: what a whole export holds besides its files
  (summaries, shoes, wellness), as ``exports.ExportContents``.

``sizes`` holds the caps on how large an input may be.
"""
