# The two commands a new user runs: `make demo` and `make test`. Both set everything up.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: setup sysdeps demo test test-fast check lint typecheck floors fmt bench eval clean \
	crawl-cluster

setup: $(STAMP)

# Re-installs when pyproject.toml changes; a second run reuses the environment.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $@

# Debian programs the attachment converters run (reports/extract/attachments/legacy.py):
# LibreOffice reads .doc/.wps/.rtf, one long-lived instance driven through python3-uno's bridge
# (reports/extract/attachments/libreoffice.py), antiword is its fallback; chromium is the crawler's browser
# for JS challenges and script-drawn listings (crawler/browser.py; `playwright install` is not
# used). redis-server holds the shared queue, dupefilter and per-host slots of cluster crawls
# (crawler/cluster/; `make crawl-cluster`). Installs only what is missing.
SYSDEPS := libreoffice-writer-nogui python3-uno antiword chromium redis-server

sysdeps:
	@missing=$$(for p in $(SYSDEPS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if ! command -v apt-get >/dev/null; then \
	  echo "sysdeps: no apt-get here; install LibreOffice (soffice) and antiword to read .doc attachments, and chromium at /usr/bin/chromium for the browser"; exit 0; fi; \
	sudo=$$([ "$$(id -u)" = 0 ] || echo sudo); \
	echo "sysdeps: installing" $$missing; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$sudo apt-get install -y -qq --no-install-recommends $$missing >/dev/null

# `make demo S3=1`: the same crawl into a local SeaweedFS S3 server through boto3.  The simulator's
# portals listen on fixed ports (8100, 8101; `make demo PORT=9100` moves them), so a second demo
# re-crawls the same URLs and reports them unchanged.
demo: setup sysdeps
	$(BIN)/scrapy demo $(if $(S3),--s3) $(if $(PORT),--base-port $(PORT))

# Two pytest workers (this is a 2-core machine; the session fixtures, the simulator and the S3
# server, start once per worker on free ports) and the 25 slowest tests at the end.
# `make test PYTEST_WORKERS=0` runs in one process, without pytest-xdist loaded at all.
PYTEST_WORKERS ?= 2
PYTEST := $(BIN)/python -m pytest -q \
	$(if $(filter-out 0,$(PYTEST_WORKERS)),-n $(PYTEST_WORKERS),-p no:xdist)
test: setup sysdeps
	$(PYTEST) --durations=25 $(PYTEST_ARGS)

# The tests not marked slow (no crawl subprocess, no server, no browser): 1,400 of 1,575.
test-fast: setup
	$(PYTEST) -m "not slow" $(PYTEST_ARGS)

# What CI checks besides the tests: style, types, and the evaluation floors.
check: lint typecheck floors

# ruff's rules and line length are in pyproject.toml ([tool.ruff]).
lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# mypy's scope and strictness are in pyproject.toml ([tool.mypy]): strict on reports/ and storage/.
typecheck: setup
	$(BIN)/mypy

# Each exits 1 when a figure falls below its pinned floor: the normalizer on the seeds and the
# simulator (bench/eval_baseline.json), on the hand-labelled real set (tests/realset/floors.json),
# and discovery on the 30 generated portals of fixed seeds (bench/eval_discovery.py, MIN_RECALL
# and MAX_FALSE, which tests/crawler/test_spider_generated.py asserts too).
floors: setup sysdeps
	$(BIN)/python -m bench.eval_normalize
	$(BIN)/python -m bench.eval_real
	$(BIN)/python -m bench.eval_discovery --seeds 0-29 --floors

# ruff's safe fixes, then the formatter (in this order: a fix can leave a line to re-wrap);
# what ruff still reports needs a hand.
fmt: setup
	-$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

# `make crawl-cluster WORKERS=4 REGION=3701`: N workers of one crawl on this machine, sharing a
# redis-server started on 127.0.0.1 (free port, temporary directory) and stopped at the end;
# REDIS=redis://HOST:PORT/0 joins a running one instead, URL=… crawls portal roots, and
# ARGS='-s NAME=VALUE …' passes settings to every worker.
WORKERS ?= 2
crawl-cluster: setup sysdeps
	$(BIN)/python -m crawler.cluster --workers $(WORKERS) $(if $(REGION),-a region=$(REGION)) \
	  $(if $(URL),-a url=$(URL)) $(if $(REDIS),--redis $(REDIS)) $(if $(JOB),--job $(JOB)) $(ARGS)

bench: setup sysdeps
	$(BIN)/python -m bench

# The normalizer against the seeds' and the simulator's ground truth, then against the real report
# texts labelled by hand in tests/realset (bench/eval_real.py); each fails below its pinned floors.
# Then discovery on 300 generated portals with fresh random seeds: recall, precision, pages per
# report, and every failing seed (replay one: python -m bench.eval_discovery --seeds N -v).
eval: setup sysdeps
	$(BIN)/python -m bench.eval_normalize
	$(BIN)/python -m bench.eval_real
	$(BIN)/python -m bench.eval_discovery --count 300

# Replays the crawl's WARC files in pywb, in a venv of its own (pywb pins an older cryptography
# and its brotlipy shadows Scrapy's brotli): tests/pywb_replay.py says what is checked.
pywb-check: setup
	test -x .venv-pywb/bin/wayback || ($(PYTHON) -m venv .venv-pywb && \
	  .venv-pywb/bin/pip install --quiet --disable-pip-version-check pywb==2.10.0)
	$(BIN)/python tests/pywb_replay.py .venv-pywb/bin

clean:
	rm -rf data .nianbao build .pytest_cache .hypothesis
