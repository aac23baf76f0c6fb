"""Provides the Textual screens for the kiosk, counter and display modes."""
