"""What the chat keeps in and asks of the browser: the scripts it runs there (composer
text, address bar) and the run ids kept in its storage. One home for every
`rx.call_script` of the chat."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import unquote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import reflex as rx

COMPOSER_ID = "composer"
DROP_ID = "composer-drop"  # the composer's drop zone, around the hidden file input


def thread_id_of_path(path: str) -> str:
    """The thread id in a `/threads/<id>` path ("" for any other page)."""
    parts = [part for part in (path or "").split("/") if part]
    if len(parts) == 2 and parts[0] == "threads":
        return unquote(parts[1])
    return ""


def stored_runs(raw: str) -> dict[str, str]:
    """The `{thread_id: run_id}` map kept in browser storage (garbage reads as empty)."""
    try:
        data = json.loads(raw or "{}")
    except ValueError:
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def url_thread_script(load: int) -> str:
    """JS giving `[load, thread id in the browser's address bar or ""]`."""
    found = "(window.location.pathname.match(/\\/threads\\/([^/]+)\\/?$/) || [])[1] || ''"
    return f"[{int(load)}, {found}]"


def replace_url(url: str) -> Any:
    """Show `url` in the address bar without a navigation (no new history entry)."""
    return rx.call_script(f"window.history.replaceState(null, '', {json.dumps(url)})")


def restore_draft(text: str) -> Any:
    """Put `text` back into the composer unless the user already typed something new."""
    return rx.call_script(
        f"(() => {{ const el = document.getElementById('{COMPOSER_ID}');"
        f" if (el && !el.value.trim()) {{ el.value = {json.dumps(text)}; }} }})()"
    )


def clear_draft_if(text: str) -> Any:
    """Empty the composer if it still holds exactly `text` (it is being resent)."""
    return rx.call_script(
        f"(() => {{ const el = document.getElementById('{COMPOSER_ID}');"
        f" if (el && el.value.trim() === {json.dumps(text)}) {{ el.value = ''; }} }})()"
    )


# The browser's IANA time zone, for `ChatView.set_user_timezone`.
TIMEZONE_SCRIPT = "Intl.DateTimeFormat().resolvedOptions().timeZone"


def ask_timezone(callback: Any, text: str | None = None) -> Any:
    """The script that sends the browser's time zone to `callback`; with `text`, as the
    pair `[zone, text]` (a message held until the zone is known)."""
    if text is None:
        return rx.call_script(TIMEZONE_SCRIPT, callback=callback)
    return rx.call_script(f"[{TIMEZONE_SCRIPT}, {json.dumps(text)}]", callback=callback)


def known_zone(zone: object) -> str:
    """`zone` when it is an IANA time zone name this server knows, else ""."""
    if not isinstance(zone, str) or not zone or len(zone) > 64:
        return ""
    try:
        ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):
        return ""
    return zone


def _file_input() -> str:
    return f"document.querySelector('#{DROP_ID} input[type=file]')"


def compose_with_files(text: str) -> Any:
    """Put `text` into the composer and open the file chooser (a starter that asks for
    a file)."""
    return rx.call_script(
        f"(() => {{ const el = document.getElementById('{COMPOSER_ID}');"
        f" if (el) {{ el.value = {json.dumps(text)}; el.focus(); }}"
        f" const input = {_file_input()}; if (input) input.click(); }})()"
    )


def open_file_chooser() -> Any:
    """The "Attach files" button: the drop zone's file input opens its chooser."""
    return rx.call_script(f"{_file_input()}?.click()")


# In the page's <head>: a message sent before React has taken over the page (a slow first
# load shows its HTML first) would be lost: Enter would add a line, Send would reload the
# page. Either is remembered instead, and KEYS_SCRIPT sends the message once the chat is up.
EARLY_ENTER_SCRIPT = """(() => {
  const early = (el) => !Object.keys(el).some((key) => key.startsWith('__reactProps'));
  document.addEventListener('keydown', (e) => {
    const box = e.target;
    if (e.key !== 'Enter' || e.shiftKey || e.isComposing || !box || box.id !== '__COMPOSER__'
        || !early(box)) return;
    e.preventDefault();
    window.__lgEarlyEnter = true;
  }, true);
  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (!form || !form.querySelector || !form.querySelector('#__COMPOSER__') || !early(form)) {
      return;
    }
    e.preventDefault();
    window.__lgEarlyEnter = true;
  }, true);
})();""".replace("__COMPOSER__", COMPOSER_ID)

# Installed once per page (the chat panel's on_mount): keyboard shortcuts, each pressing a
# control that exists (Stop, the last Edit, New thread), and files pasted into the
# composer handed to the drop zone's input, as if they had been picked (files pasted or
# dropped while an upload is in flight wait for it, and so does a message sent then).
KEYS_SCRIPT = """(() => {
  if (window.__lgEarlyEnter) {  // see EARLY_ENTER_SCRIPT
    window.__lgEarlyEnter = false;
    const box = document.getElementById('__COMPOSER__');
    if (box && box.form && box.value.trim()) box.form.requestSubmit();
  }
  if (window.__lgChatKeys) return;
  window.__lgChatKeys = true;
  const shown = (el) => el && !el.disabled && el.getClientRects().length > 0;
  const layerOpen = () => [...document.querySelectorAll(
    '[role=dialog],[role=alertdialog],[role=menu],[role=listbox]')].some(
    (el) => !el.closest('[data-chat-launcher]'));  // the launcher's popover is the chat
  document.addEventListener('keydown', (e) => {
    if (e.defaultPrevented || e.isComposing) return;
    const mod = e.ctrlKey || e.metaKey;
    if (e.key === 'Escape' && !mod && !layerOpen()) {
      const stop = [...document.querySelectorAll('button[aria-label="Stop"]')].find(shown);
      if (stop) { e.preventDefault(); stop.click(); }
    } else if (e.key === 'ArrowUp' && !mod && !e.shiftKey && !e.altKey
               && e.target && e.target.id === '__COMPOSER__' && !e.target.value) {
      const edits = [...document.querySelectorAll(
        '[role=article][aria-label="User message"] button[aria-label="Edit"]')].filter(shown);
      if (edits.length) { e.preventDefault(); edits[edits.length - 1].click(); }
    } else if (mod && e.shiftKey && !e.altKey && e.code === 'KeyO') {
      const fresh = [...document.querySelectorAll('[data-shortcut="new-thread"]')].find(
        (el) => el.getClientRects().length > 0) ||
        document.querySelector('[data-shortcut="new-thread"]');
      if (fresh) { e.preventDefault(); fresh.click(); }
    }
  }, true);
  // Files reach the backend one upload at a time: Reflex drops an upload to the drop zone
  // while another is in flight, so files pasted or dropped meanwhile wait and follow. A
  // message sent while files are on their way waits for them (it would go without).
  let uploading = 0;
  let handedAt = 0;  // files went to the drop zone; their upload has not started yet
  let waiting = [];
  let held = null;  // the composer's form, submitted once the files are in
  const input = () => document.querySelector('#__DROP__ input[type=file]');
  const busy = () => uploading > 0 || waiting.length > 0 || Date.now() - handedAt < 1500;
  const handOver = (files) => {
    const target = input();
    if (!target) return;
    const moved = new DataTransfer();
    files.forEach((f) => moved.items.add(f));
    target.files = moved.files;
    target.dispatchEvent(new Event('change', {bubbles: true}));
  };
  const release = () => {
    if (uploading) return;
    if (waiting.length) {
      const files = waiting;
      waiting = [];
      handOver(files);
    } else if (held && !busy()) {
      const form = held;
      held = null;
      form.requestSubmit();
    }
  };
  const open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url, ...rest) {
    if (String(url).includes('/_upload')) {
      uploading += 1;
      handedAt = 0;
      // after Reflex's own clean-up of the finished upload (a promise later)
      this.addEventListener('loadend', () => { uploading -= 1; setTimeout(release, 0); });
    }
    return open.call(this, method, url, ...rest);
  };
  document.addEventListener('change', (e) => {  // files picked: not the composer's text
    if (e.target && e.target.matches && e.target.matches('#__DROP__ input[type=file]')) {
      handedAt = Date.now();
    }
  }, true);
  document.addEventListener('drop', (e) => {
    const zone = e.target && e.target.closest && e.target.closest('#__DROP__');
    const files = [...((e.dataTransfer && e.dataTransfer.files) || [])];
    if (!zone || !files.length) return;
    if (!uploading) { handedAt = Date.now(); return; }
    e.preventDefault();
    e.stopPropagation();
    zone.dispatchEvent(new DragEvent('dragleave', {bubbles: true}));
    waiting.push(...files);
  }, true);
  document.addEventListener('paste', (e) => {
    if (!e.target || e.target.id !== '__COMPOSER__') return;
    const files = [...((e.clipboardData && e.clipboardData.files) || [])];
    if (!files.length || !input()) return;
    if (!e.clipboardData.types.includes('text/plain')) e.preventDefault();
    waiting.push(...files);
    release();
  });
  document.addEventListener('submit', (e) => {
    const form = e.target;
    if (!form || !form.querySelector || !form.querySelector('#__COMPOSER__') || !busy()) return;
    e.preventDefault();
    e.stopPropagation();
    held = form;
    setTimeout(release, 1600);  // files refused before any upload: send all the same
  }, true);
})()""".replace("__COMPOSER__", COMPOSER_ID).replace("__DROP__", DROP_ID)


def install_shortcuts() -> Any:
    return rx.call_script(KEYS_SCRIPT)
