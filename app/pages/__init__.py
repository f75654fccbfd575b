"""Pages: `/` (a new chat) and `/threads/[thread_id]`."""
