"""Provides the widgets shared by the screens."""
