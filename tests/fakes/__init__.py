"""Faithful fakes of hosted services the tests cannot reach (LangSmith Fleet, Managed Deep
Agents), each checking every request it gets, with a real Agent Server doing the work."""
