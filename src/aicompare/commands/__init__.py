"""The commands: one module per command, named after it, and the one table that registers them.

A command module defines `command`, the function Typer calls (its docstring is the help; its
parameters, the options), and calls one domain function and cli.emit. A group is a package
whose `__init__` defines `HELP`; its commands follow it in the table. cli.AicompareGroup reads
this table: a run imports only the module of the command it runs, and help, typo suggestions
and shell completion see every name. Adding a command: a module here and a line below.

No code here or in a group's `__init__`: an imported submodule named `list` or `set` becomes an
attribute of its package, and would hide the builtin from code in the package's own namespace.
"""

from __future__ import annotations

# The words of the command line -> the module under aicompare.commands, in the order of the help.
COMMANDS: dict[str, str] = {
    "list": "list",
    "show": "show",
    "diff": "diff",
    "cost": "cost",
    "best": "best",
    "reprice": "reprice",
    "catalog": "catalog",
    "catalog validate": "catalog.validate",
    "catalog path": "catalog.path",
    "catalog set": "catalog.set",
    "catalog add": "catalog.add",
    "catalog remove": "catalog.remove",
    "catalog import": "catalog.import_",  # `import` is a keyword: no import statement could name it
    "catalog export": "catalog.export",
    "catalog build": "catalog.build",
    "catalog audit": "catalog.audit",
}
