"""Pages of the people registry: :mod:`.persons` (the list, a person, register, edit),
:mod:`.duplicates` (the review), :mod:`.dpo` (the data-protection officer's tools)."""
