# Everyday commands. Everything runs through uv in the locked environment at .venv/.
# `make` alone lists the targets.

UV ?= python3 -m uv

.DEFAULT_GOAL := help
.PHONY: help install fmt lint typecheck test bench run ci clean

help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-z][a-zA-Z_-]*:.*## / {printf "  %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

install: ## Install uv, then the locked environment in .venv/ (python3 + pip is all it needs)
	python3 -m pip install --quiet uv && python3 -m uv sync --locked

fmt: ## Apply safe lint fixes, then format (ruff)
	$(UV) run ruff check --fix .
	$(UV) run ruff format .

lint: ## Lint: ruff check, ruff format --check, import-linter layer contracts
	$(UV) run ruff check .
	$(UV) run ruff format --check .
	$(UV) run lint-imports

typecheck: ## mypy --strict over src, tests and bench
	$(UV) run mypy src tests bench

test: ## The test suite (SQLite always; PostgreSQL at 127.0.0.1:5432 when it is up)
	$(UV) run --locked pytest

bench: ## Benchmarks: sequence allocation, HTTP clients, token verification, KMS login, Fountain parsing, story import
	$(UV) run python bench/sequence_alloc.py
	$(UV) run python bench/http_clients.py
	$(UV) run python bench/jwt_verify.py
	$(UV) run python bench/kms_login.py
	$(UV) run --group bench python bench/fountain_parse.py
	$(UV) run python bench/story_import.py

run: ## Start every service on localhost (SQLite under .fountain/); Ctrl-C stops them
	$(UV) run fountain up

ci: ## Exactly what CI runs: servers, install, lint, types, contracts, tests
	bash .ci/run

clean: ## Remove caches and the local data directory .fountain/ (databases, logs)
	rm -rf .mypy_cache .ruff_cache .pytest_cache .import_linter_cache .hypothesis .fountain htmlcov .coverage dist build
	find . -path ./.venv -prune -o -type d -name __pycache__ -exec rm -rf {} +
