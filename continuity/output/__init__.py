"""Writing output: folders and files replaced whole, atomically, and only when they are
continuity's own (a manifest says what it wrote); runs stopped by a signal clean up."""

from .destination import OutputError, OutputFile, OutputFolder, output_file, output_folder
from .manifest import MANIFEST
from .stop import Interrupted

__all__ = ["MANIFEST", "Interrupted", "OutputError", "OutputFile", "OutputFolder",
           "output_file", "output_folder"]
