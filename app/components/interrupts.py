"""The "Needs your input" panel above the composer: one card per pending interrupt.

- tool reviews (HITL middleware, per-call approvals, legacy HumanInterrupt): one block per
  action with exactly the allowed buttons (Approve/Accept, Edit, Reject/Ignore, Respond),
  typed edit forms, then Submit (or Approve all);
- free-form questions: the question (text or formatted JSON) and an answer box; the
  composer answers too;
- static breakpoints: Continue.
"""

from __future__ import annotations

import reflex as rx

from app.components.deployment import dismiss_panel
from app.components.markdown import safe_markdown
from app.states.interrupts import InterruptState
from app.states.thread import ThreadState, ThreadStateBase

S = InterruptState
Chat = type[ThreadStateBase]


def _small_button(label: str, icon: str, on_click, state: Chat, *, scheme: str = "gray",
                  variant: str = "soft", aria: str | rx.Var | None = None) -> rx.Component:
    return rx.button(
        rx.icon(icon, size=14),
        label,
        size="1",
        variant=variant,
        color_scheme=scheme,
        type="button",
        on_click=on_click,
        aria_label=label if aria is None else aria,
        disabled=state.is_loading,
    )


def _field(field: rx.Var) -> rx.Component:
    name = field["name"].to(str)
    error = S.form_errors.get(name, "").to(str)
    control = rx.match(
        field["type"],
        ("enum", rx.select(field["choice_labels"].to(list[str]), name=name,
                           default_value=field["value"].to(str), size="2", width="100%")),
        ("boolean", rx.select(["true", "false"], name=name,
                              default_value=field["value"].to(str), size="2", width="100%")),
        ("json", rx.text_area(name=name, default_value=field["value"].to(str), rows="3",
                              size="2", class_name="hitl-mono", aria_label=field["label"])),
        rx.input(name=name, default_value=field["value"].to(str),
                 type=field["input_type"].to(str), step=field["step"].to(str), size="2",
                 aria_label=field["label"], aria_invalid=rx.cond(error != "", "true", "false"),
                 width="100%"),
    )
    return rx.box(
        rx.el.label(
            rx.text(field["label"], size="1", weight="medium"),
            rx.cond(field["required"], rx.text("*", size="1", color_scheme="red",
                                               aria_hidden="true")),
            class_name="hitl-label",
        ),
        control,
        rx.cond(field["hint"] != "", rx.text(field["hint"], size="1", color_scheme="gray")),
        rx.cond(error != "", rx.text(error, size="1", color_scheme="red", role="alert")),
        class_name="hitl-field",
    )


def _form_buttons(confirm: str, icon: str, scheme: str) -> rx.Component:
    return rx.hstack(
        rx.cond(S.form_error != "", rx.text(S.form_error, size="1", color_scheme="red",
                                            role="alert")),
        rx.spacer(),
        rx.button("Cancel", size="1", variant="soft", color_scheme="gray", type="button",
                  on_click=S.close_form),
        rx.button(rx.icon(icon, size=14), confirm, size="1", color_scheme=scheme, type="submit"),
        align="center",
        spacing="2",
        width="100%",
    )


def _open_form(action: rx.Var) -> rx.Component:
    return rx.form(
        rx.match(
            S.open_kind,
            ("edit", rx.vstack(
                rx.foreach(action["fields"].to(list[dict]), _field),
                _form_buttons("Save edits", "check", "blue"),
                spacing="2", width="100%")),
            ("reject", rx.vstack(
                rx.text_area(name="message", placeholder="Why? (sent to the agent)", rows="2",
                             aria_label="Reason", size="2", width="100%", auto_focus=True),
                _form_buttons("Confirm reject", "x", "red"),
                spacing="2", width="100%")),
            rx.vstack(
                rx.text_area(name="message", placeholder="Message returned to the agent",
                             rows="2", aria_label="Response", size="2", width="100%",
                             auto_focus=True),
                _form_buttons("Save response", "message-square", "blue"),
                spacing="2", width="100%"),
        ),
        on_submit=S.save_form,
        reset_on_submit=False,
        class_name="hitl-form",
        width="100%",
    )


def _decision_buttons(card: rx.Var, action: rx.Var, state: Chat) -> rx.Component:
    key = action["key"].to(str)
    reject = card["reject_label"].to(str)
    return rx.hstack(
        rx.cond(action["can_approve"], _small_button(
            card["approve_label"].to(str), "check", S.approve(key), state, scheme="green",
            aria=card["approve_label"].to(str))),
        rx.cond(action["can_edit"], _small_button("Edit", "pencil", S.open_form(key, "edit"),
                                                  state, scheme="blue")),
        # A legacy Ignore carries no reason: one click; a v1 reject opens its reason form.
        rx.cond(action["can_reject"], rx.cond(
            card["kind"] == "legacy",
            _small_button(reject, "x", S.ignore(key), state, scheme="red", aria=reject),
            _small_button(reject, "x", S.open_form(key, "reject"), state, scheme="red",
                          aria=reject))),
        rx.cond(action["can_respond"], _small_button(
            "Respond", "message-square", S.open_form(key, "respond"), state)),
        spacing="2",
        wrap="wrap",
    )


def _action(card: rx.Var, action: rx.Var, state: Chat) -> rx.Component:
    key = action["key"].to(str)
    decided = S.drafts.contains(key)
    return rx.box(
        rx.hstack(
            rx.icon("wrench", size=14),
            rx.text(action["name"], weight="medium", size="2", class_name="hitl-tool"),
            rx.spacer(),
            rx.cond(decided, rx.badge(rx.icon("circle-check", size=12), "Decided",
                                      color_scheme="green", variant="soft")),
            align="center",
            spacing="2",
            width="100%",
        ),
        rx.cond(action["description"] != "",
                rx.box(safe_markdown(action["description"].to(str)), class_name="hitl-desc")),
        rx.cond(
            (S.open_key == key) & (S.open_kind == "edit"),
            rx.fragment(),  # the edit form shows the arguments itself
            rx.el.pre(action["args_text"], class_name="hitl-pre", aria_label="Arguments"),
        ),
        rx.cond(
            decided,
            rx.hstack(
                rx.text(S.summaries.get(key, "").to(str), size="2", class_name="hitl-summary"),
                rx.spacer(),
                _small_button("Change", "undo-2", S.undo(key), state, variant="ghost",
                              aria="Change decision"),
                align="center",
                width="100%",
            ),
            rx.cond(S.open_key == key, _open_form(action),
                    _decision_buttons(card, action, state)),
        ),
        class_name="hitl-action",
        custom_attrs={"role": "group", "aria-label": "Tool call " + action["name"].to(str),
                      "data-decided": rx.cond(decided, "true", "false")},
    )


def _question(card: rx.Var) -> rx.Component:
    key = card["key"].to(str)
    return rx.vstack(
        rx.cond(card["question"] != "",
                rx.box(safe_markdown(card["question"].to(str)), class_name="hitl-question")),
        rx.cond(card["payload"] != "", rx.el.pre(card["payload"], class_name="hitl-pre")),
        rx.form(
            rx.text_area(
                name="answer",
                placeholder=rx.cond(card["is_text"], "Your answer",
                                    "Your answer (text or JSON)"),
                rows="2",
                size="2",
                width="100%",
                enter_key_submit=True,
                on_change=S.set_answer(key),
                aria_label="Answer",
            ),
            on_submit=lambda form: S.answer_card(key, form),
            reset_on_submit=False,
            width="100%",
        ),
        rx.text("Or type the answer in the message box below.", size="1", color_scheme="gray"),
        spacing="2",
        width="100%",
    )


def _breakpoint(card: rx.Var, state: Chat) -> rx.Component:
    return rx.hstack(
        rx.text("The run stopped before its next step. Continue when ready.", size="2"),
        rx.spacer(),
        rx.button(rx.icon("play", size=14), "Continue", size="2", on_click=S.submit,
                  disabled=state.is_loading, aria_label="Continue"),
        align="center",
        width="100%",
        wrap="wrap",
    )


def _card(card: rx.Var, state: Chat) -> rx.Component:
    return rx.box(
        rx.hstack(
            rx.match(
                card["kind"],
                ("breakpoint", rx.icon("circle-pause", size=16)),
                ("value", rx.icon("circle-help", size=16)),
                rx.icon("shield-check", size=16),
            ),
            rx.text(card["title"], weight="bold", size="2"),
            align="center",
            spacing="2",
            class_name="hitl-card-title",
        ),
        rx.cond(card["problem"] != "",
                rx.text("This request could not be read as a tool review: ", card["problem"],
                        size="1", color_scheme="amber")),
        rx.cond(card["description"] != "",
                rx.box(safe_markdown(card["description"].to(str)), class_name="hitl-desc")),
        rx.match(
            card["kind"],
            ("breakpoint", _breakpoint(card, state)),
            ("value", _question(card)),
            rx.vstack(
                rx.foreach(card["actions"].to(list[dict]), lambda a: _action(card, a, state)),
                spacing="2",
                width="100%",
            ),
        ),
        class_name="hitl-card",
        custom_attrs={"data-kind": card["kind"], "data-interrupt-id": card["id"]},
    )


def _footer(state: Chat) -> rx.Component:
    return rx.cond(
        S.only_breakpoints,
        rx.fragment(),
        rx.hstack(
            rx.cond(
                S.action_count > 0,
                rx.text(S.decided_count, " of ", S.action_count, " decided", size="1",
                        color_scheme="gray"),
            ),
            rx.spacer(),
            rx.cond(
                S.can_approve_all,
                rx.button(rx.icon("check-check", size=14), "Approve all", size="2",
                          variant="soft", color_scheme="green", on_click=S.approve_all,
                          disabled=state.is_loading, aria_label="Approve all"),
            ),
            rx.button(rx.icon("send", size=14), "Submit", size="2", on_click=S.submit,
                      disabled=~S.is_ready | state.is_loading, aria_label="Submit"),
            align="center",
            spacing="2",
            width="100%",
            class_name="hitl-footer",
        ),
    )


def interrupt_panel(state: Chat = ThreadState) -> rx.Component:
    """Every pending interrupt of the shown thread; empty when nothing waits. A backend
    that cannot take an answer gets the Dismiss panel instead (`deployment`)."""
    return rx.cond(
        S.has_cards & ~state.is_loading,
        rx.cond(state.cannot.contains("resume"), dismiss_panel(state), rx.el.section(
            rx.hstack(
                rx.icon("hand", size=16),
                rx.heading("Needs your input", size="3", weight="medium", as_="h2"),
                align="center",
                spacing="2",
            ),
            rx.foreach(S.cards, lambda card: _card(card, state)),
            rx.cond(S.panel_error != "",
                    rx.callout(S.panel_error, icon="info", color_scheme="amber", size="1",
                               role="alert")),
            _footer(state),
            class_name="hitl-panel",
            aria_label="Needs your input",
        )),
    )


def decision_notes(message: rx.Var) -> rx.Component:
    """Decisions recorded under a message (who decided what, when)."""
    message_id = message["id"].to(str)
    return rx.cond(
        S.notes.contains(message_id),
        rx.el.ul(
            rx.foreach(
                S.notes.get(message_id, []).to(list[str]),
                lambda line: rx.el.li(rx.icon("user-check", size=12), rx.text(line, size="1")),
            ),
            class_name="hitl-notes",
            aria_label="Decisions",
        ),
    )
