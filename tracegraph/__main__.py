from tracegraph.cli import main

raise SystemExit(main())
