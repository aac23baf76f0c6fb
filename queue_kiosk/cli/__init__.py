"""The `queue-kiosk` command line: the entry point (`launch`), the warm helper, the parser and
its commands, the commands that open screens, and the demo. The top layer: may import anything,
the screens only inside the functions that start them."""
