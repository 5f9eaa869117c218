#!/usr/bin/env python
import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    # Commands and the task worker get the long database time limits; the development
    # server serves requests, so it gets the web ones (common.database).
    serving = len(sys.argv) > 1 and sys.argv[1] == "runserver"
    os.environ.setdefault("DATABASE_TIME_LIMITS", "web" if serving else "command")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
