"""Report stage: the static HTML site and the teaching tables."""

from .render import environment, render_pair, render_site, site_jobs, standalone_pair
from .teaching import teaching_files

__all__ = ["environment", "render_pair", "render_site", "site_jobs", "standalone_pair",
           "teaching_files"]
