// Reference chat on the legacy useStream (@langchain/langgraph-sdk/react, Runs API + SSE,
// one React commit per token), default options.
import { useStream } from "@langchain/langgraph-sdk/react";
import { useMemo, useState } from "react";
import { createRoot } from "react-dom/client";
import { ChatView, readOptions, roleOf, textOf } from "../../shared/chat.jsx";
import "../../shared/chat.css";

const options = readOptions();

function App() {
  const [threadId, setThreadId] = useState(options.threadId);
  const stream = useStream({
    apiUrl: options.apiUrl,
    assistantId: options.assistantId,
    threadId,
    onThreadId: setThreadId,
    messagesKey: "messages",
  });
  const messages = useMemo(
    () =>
      stream.messages.map((m, i) => ({ id: m.id ?? String(i), role: roleOf(m), text: textOf(m.content) })),
    [stream.messages],
  );
  return (
    <ChatView
      title="legacy useStream"
      messages={messages}
      isLoading={stream.isLoading}
      onSend={(text) =>
        stream.submit({ messages: [{ type: "human", content: text }] }, { config: options.config })
      }
      onStop={() => stream.stop()}
    />
  );
}

createRoot(document.getElementById("root")).render(<App />);
