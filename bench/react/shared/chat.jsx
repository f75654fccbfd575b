// The chat view both reference apps share: only the hook differs between them.
// Accessible names match the Reflex app ("Message" textbox, "Send"/"Stop" buttons,
// role=article "User message"/"Assistant message"), so the bench drives all three alike.
import { memo, useState } from "react";
import Markdown from "react-markdown";

/** Run options from the query string: apiUrl, assistantId, threadId, tokens, tokenDelay. */
export function readOptions() {
  const query = new URLSearchParams(window.location.search);
  const configurable = {};
  if (query.get("tokens")) configurable.tokens = Number(query.get("tokens"));
  if (query.get("tokenDelay")) configurable.token_delay = Number(query.get("tokenDelay"));
  return {
    apiUrl: query.get("apiUrl") || "http://127.0.0.1:2024",
    assistantId: query.get("assistantId") || "chat",
    threadId: query.get("threadId") || null,
    config: Object.keys(configurable).length ? { configurable } : undefined,
  };
}

/** Plain text of a message's content (a string or a list of content blocks). */
export function textOf(content) {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content
    .map((block) => (typeof block === "string" ? block : block?.type === "text" ? block.text : ""))
    .join("");
}

/** "user" | "assistant" | other, from a message's type (plain object or class instance). */
export function roleOf(message) {
  const type = typeof message.getType === "function" ? message.getType() : message.type;
  if (type === "human" || type === "user") return "user";
  if (type === "ai" || type === "assistant") return "assistant";
  return String(type);
}

const Message = memo(function Message({ role, text }) {
  const user = role === "user";
  return (
    <div
      role="article"
      aria-label={user ? "User message" : "Assistant message"}
      className={user ? "message message-user" : "message message-ai"}
    >
      {user ? <p>{text}</p> : <Markdown>{text}</Markdown>}
    </div>
  );
});

function Composer({ isLoading, onSend, onStop }) {
  const [draft, setDraft] = useState("");
  const send = () => {
    const text = draft.trim();
    if (!text || isLoading) return;
    setDraft("");
    onSend(text);
  };
  return (
    <form
      className="composer"
      onSubmit={(event) => {
        event.preventDefault();
        send();
      }}
    >
      <textarea
        aria-label="Message"
        rows={2}
        value={draft}
        onChange={(event) => setDraft(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === "Enter" && !event.shiftKey) {
            event.preventDefault();
            send();
          }
        }}
      />
      {isLoading ? (
        <button type="button" aria-label="Stop" onClick={onStop}>
          Stop
        </button>
      ) : (
        <button type="submit" aria-label="Send">
          Send
        </button>
      )}
    </form>
  );
}

/** The message list and the composer. `messages`: [{id, role, text}]. */
export function ChatView({ title, messages, isLoading, onSend, onStop }) {
  return (
    <main className="chat">
      <h1>{title}</h1>
      <section className="messages">
        {messages.map((m) => (
          <Message key={m.id} role={m.role} text={m.text} />
        ))}
      </section>
      <Composer isLoading={isLoading} onSend={onSend} onStop={onStop} />
    </main>
  );
}
