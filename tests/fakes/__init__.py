"""Stand-ins for what the tests cannot reach or must break: faithful fakes of hosted
services (LangSmith Fleet, Managed Deep Agents), each checking every request it gets with
a real Agent Server doing the work, and a TCP proxy that cuts connections (faults)."""
