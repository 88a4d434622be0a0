"""What marks a store: its file name, SQLite application id, format and page size (kept
apart from `schema` so that reading a store imports nothing heavy)."""

#: The file the store is, in a report folder.
STORE = "continuity.db"
#: `PRAGMA application_id`: marks a database continuity wrote ("CNTY").
APPLICATION_ID = 0x434E5459
#: Bumped when the tables change: a store of another format is rebuilt, never read.
FORMAT = "5"
#: A fixed page size, so the same rows make the same bytes.
PAGE_SIZE = 4096
