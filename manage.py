#!/usr/bin/env python
from zugong.cli import main

if __name__ == "__main__":
    main()
