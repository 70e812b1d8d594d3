"""Alliance Planner: standardise a police alliance's IT services and appraise the options."""

__version__ = "0.1.0"

# A number of our own in PRAGMA application_id marks a SQLite file as a plan ("ALPL").
APPLICATION_ID = 0x414C504C
