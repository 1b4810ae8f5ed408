#!/usr/bin/env python
"""Lianqi's command-line utility for administrative tasks (see `manage.py help`)."""

import os
import sys


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lianqi.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
