"""Access policy: roles × actions, memberships and the areas they cover.

``reliefops.core.permissions`` is the interface every service and selector calls; this
package is the policy it plugs in (setting ``RELIEFOPS_ACCESS_POLICY``). It sits above
``accounts`` (users, memberships, roles) and ``places`` (the admin-area tree) and reads
them; nothing below it imports it.
"""
