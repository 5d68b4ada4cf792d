"""stridewise: training signals associated with lower back pain in runners, from watch data.

Public API::

    from stridewise import read_activities, Store, import_paths, load_profile
"""

from stridewise.errors import StridewiseError
from stridewise.importers import read_activities
from stridewise.importing import ImportReport, import_paths
from stridewise.model import SAMPLE_COLUMNS, Activity
from stridewise.profile import Profile, load_profile
from stridewise.store import Store

__all__ = [
    "SAMPLE_COLUMNS",
    "Activity",
    "ImportReport",
    "Profile",
    "Store",
    "StridewiseError",
    "import_paths",
    "load_profile",
    "read_activities",
]
