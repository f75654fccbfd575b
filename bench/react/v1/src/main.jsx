// Reference chat on the v1 useStream (@langchain/react: the thread event protocol,
// batched commits), default options (SSE transport).
import { useStream } from "@langchain/react";
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
  });
  const messages = useMemo(
    () =>
      stream.messages.map((m, i) => ({ id: m.id ?? String(i), role: roleOf(m), text: textOf(m.content) })),
    [stream.messages],
  );
  return (
    <ChatView
      title="v1 useStream"
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
