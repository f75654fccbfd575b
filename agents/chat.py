"""Placeholder chat graph (replaced by the demo agents)."""
from langchain_core.language_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import START, MessagesState, StateGraph

model = GenericFakeChatModel(messages=iter([AIMessage("Hello from the demo")] * 1000))


def respond(state: MessagesState):
    return {"messages": [model.invoke(state["messages"])]}


graph = StateGraph(MessagesState).add_node(respond).add_edge(START, "respond").compile()
