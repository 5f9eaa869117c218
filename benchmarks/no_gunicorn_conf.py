"""Empty gunicorn config for the benchmarks: every option is given on the command line."""
