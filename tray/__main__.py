import sys

from tray.process import main

sys.exit(main())
