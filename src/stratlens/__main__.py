import sys

from stratlens.cli import main

main()
