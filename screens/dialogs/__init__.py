"""Provides the modal dialogs shared by the screens."""
