"""An import-linter contract for the rules between ReliefOps' domain apps (`make test`).

import-linter's built-in contracts keep the layers (``layers``) and core's independence
(``forbidden``); what they cannot say is *which* modules of another app may be imported,
because the rule relates the importer's app to the imported one. This contract says:

* an app's **interface modules** (``views``, ``api``, ``forms``, ``urls``, ``filtersets``,
  ``admin``) import only their own app, ``core`` and the pure ``planning`` core;
* any other module of an app reads or writes another app only through that app's
  **public modules** (``selectors``, ``services``, ``choices``) — never its models, its
  matcher or its exchange internals;
* demo loaders and migrations are exempt (seed data, generated code).

Apps are discovered (every sub-package of the root package), so a new app is covered
without editing the configuration. Imports under ``if TYPE_CHECKING:`` are ignored
(``exclude_type_checking_imports`` in the configuration): annotating with another app's
model is not a dependency at run time.
"""

from __future__ import annotations

from typing import Any

from importlinter import Contract, ContractCheck, fields, output


class AppBoundariesContract(Contract):
    type_name = "app_boundaries"

    root = fields.StringField()
    shared = fields.ListField(subfield=fields.StringField())
    public = fields.ListField(subfield=fields.StringField())
    interfaces = fields.ListField(subfield=fields.StringField())
    exempt = fields.ListField(subfield=fields.StringField())

    def check(self, graph: Any, verbose: bool) -> ContractCheck:
        root = str(self.root)
        shared = {str(s) for s in self.shared}  # type: ignore[attr-defined]
        public = {str(s) for s in self.public}  # type: ignore[attr-defined]
        interfaces = {str(s) for s in self.interfaces}  # type: ignore[attr-defined]
        exempt = {str(s) for s in self.exempt}  # type: ignore[attr-defined]
        apps = {
            module.split(".")[1]
            for module in graph.modules
            if module.count(".") >= 1
            and module.startswith(root + ".")
            and graph.find_children(".".join(module.split(".")[:2]))
        }
        violations: list[str] = []
        for importer in sorted(graph.modules):
            parts = importer.split(".")
            if len(parts) < 3 or parts[0] != root or parts[1] not in apps:
                continue
            app, topic = parts[1], parts[2]
            if topic in exempt or app in shared:
                continue
            for imported in sorted(graph.find_modules_directly_imported_by(importer)):
                target = imported.split(".")
                if len(target) < 2 or target[0] != root or target[1] not in apps:
                    continue
                other = target[1]
                if other == app or other in shared:
                    continue
                where = graph.get_import_details(importer=importer, imported=imported)
                line = where[0]["line_number"] if where else "?"
                if topic in interfaces:
                    violations.append(
                        f"{importer}:{line} imports {imported}: a {topic} module calls only "
                        f"its own app's services and selectors (and {', '.join(sorted(shared))})"
                    )
                elif len(target) < 3 or target[2] not in public:
                    violations.append(
                        f"{importer}:{line} imports {imported}: another app is reached through "
                        f"its {', '.join(sorted(public))} only"
                    )
        return ContractCheck(kept=not violations, metadata={"violations": violations})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for violation in check.metadata["violations"]:
            output.print_error(f"- {violation}")
        output.new_line()
