"""`python -m aicompare`."""

from aicompare._entry import run

if __name__ == "__main__":
    run()
