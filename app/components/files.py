"""The Files panel and a file's dialog: highlighted by extension, markdown rendered safely,
Download, Edit and Save (disabled while the agent works or waits, with the reason). At
most `panel_views.MAX_SHOWN` characters are rendered, so a large file never freezes the
page (Download gives all of it)."""

from __future__ import annotations

import reflex as rx

from app.components.icon_buttons import ghost_icon_button
from app.components.markdown import safe_markdown
from app.states.files_panel import FilesState


def file_row(entry: rx.Var) -> rx.Component:
    """A file: a button named by its path."""
    return rx.el.li(
        rx.el.button(
            rx.icon("file-text", size=14, aria_hidden="true"),
            rx.el.span(entry["path"], class_name="file-path"),
            rx.el.span(entry["size"], class_name="file-size", aria_hidden="true"),
            type="button",
            class_name="file-button",
            on_click=FilesState.open_file(entry["path"]),
            custom_attrs={"aria-label": entry["path"]},
        ),
    )


def files_panel() -> rx.Component:
    """The region "Files" (shown while the thread has files)."""
    return rx.cond(
        FilesState.files.length() > 0,
        rx.el.section(
            rx.heading("Files", size="2", as_="h2"),
            rx.el.ul(rx.foreach(FilesState.files, file_row), class_name="file-list"),
            file_dialog(),
            class_name="panel-section",
            custom_attrs={"role": "region", "aria-label": "Files"},
        ),
    )


def _view() -> rx.Component:
    """The open file as read: markdown rendered, code highlighted, or a note."""
    return rx.match(
        FilesState.open_kind,
        ("markdown", rx.box(safe_markdown(FilesState.open_text), class_name="file-markdown")),
        ("binary", rx.fragment()),
        ("missing", rx.fragment()),
        rx.code_block(FilesState.open_text, language=FilesState.open_language,
                      show_line_numbers=True, wrap_long_lines=True, font_size="0.82em",
                      border_radius="8px", margin="0"),
    )


def _editor() -> rx.Component:
    return rx.form(
        rx.text_area(
            name="text",
            default_value=FilesState.draft,
            aria_label="File content",
            class_name="file-editor",
            spell_check=False,
        ),
        id="file-edit-form",
        on_submit=FilesState.save,
        reset_on_submit=False,
    )


def _toolbar() -> rx.Component:
    blocked = FilesState.edit_blocked != ""
    unreadable = (FilesState.open_kind == "binary") | (FilesState.open_kind == "missing")
    return rx.hstack(
        rx.button(rx.icon("download", size=14), "Download", variant="soft", type="button",
                  on_click=FilesState.download,
                  disabled=unreadable),
        rx.button(rx.icon("pencil", size=14), "Edit", variant="soft", type="button",
                  on_click=FilesState.start_edit,
                  disabled=blocked | FilesState.editing | ~FilesState.open_editable),
        rx.button(rx.cond(FilesState.saving, rx.spinner(size="1"), rx.icon("save", size=14)),
                  "Save", type="submit", custom_attrs={"form": "file-edit-form"},
                  disabled=blocked | ~FilesState.editing | FilesState.saving),
        rx.cond(FilesState.editing,
                rx.button("Cancel", variant="ghost", color_scheme="gray", type="button",
                          on_click=FilesState.cancel_edit)),
        rx.spacer(),
        rx.dialog.close(ghost_icon_button("x", "Close")),
        spacing="2",
        align="center",
        width="100%",
    )


def file_dialog() -> rx.Component:
    """The dialog of the open file, named by its path."""
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title(FilesState.open_path, class_name="file-title"),
            rx.dialog.description(
                rx.cond(FilesState.open_note != "", FilesState.open_note,
                        "A file in the agent's state."),
                size="1", color_scheme="gray"),
            _toolbar(),
            rx.cond(FilesState.edit_blocked != "",
                    rx.text(rx.icon("lock", size=12), FilesState.edit_blocked, size="1",
                            class_name="file-blocked", custom_attrs={"role": "status"})),
            rx.cond(FilesState.save_error != "",
                    rx.text(FilesState.save_error, size="1", color_scheme="red",
                            custom_attrs={"role": "alert"})),
            rx.cond(FilesState.notice != "",
                    rx.text(FilesState.notice, size="1", color_scheme="green",
                            custom_attrs={"role": "status"})),
            rx.box(rx.cond(FilesState.editing, _editor(), _view()), class_name="file-body"),
            class_name="file-dialog",
            max_width="min(960px, 96vw)",
        ),
        open=FilesState.open_path != "",
        on_open_change=FilesState.dialog_changed,
    )
