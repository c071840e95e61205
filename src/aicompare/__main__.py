"""`python -m aicompare`."""

from aicompare.cli import main

if __name__ == "__main__":
    main()
