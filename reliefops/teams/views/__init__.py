"""Pages of the teams domain: :mod:`.teams` (teams and members), :mod:`.due` (the due
list and map), :mod:`.rounds` (rounds, the phone round page, visits), :mod:`.hospital` and :mod:`.referrals`."""
