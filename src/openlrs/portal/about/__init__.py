"""Pages about the service itself: accessibility, cookies, help and feedback."""
