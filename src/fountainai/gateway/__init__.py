"""The API gateway (issue 7): the single entry point in front of every service. Built in steps;
so far ``ratelimit``, the limiter's algorithms and its in-process backend."""
