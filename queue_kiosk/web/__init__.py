"""The browser side: the aiohttp app with the citizens' status and booking pages (rendered from
`templates/`), and `serve`, which adds the screens through textual-serve.
May import: `printing`, `voice`, `reports`, `service` and below; never the Textual screens."""
