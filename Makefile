# Two entry points: `make demo` and `make test`. Both set everything up first;
# the set-up is idempotent and does nothing when the venv is current.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
CNI_BIN_DIR := /usr/lib/cni

# Plugins and tests start many short Python processes: let them reuse cached bytecode.
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup demo test lint typecheck unit conformance docs dist bench clean system-deps go-deps go-reference soak

setup: $(STAMP)

$(STAMP): pyproject.toml examples/pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev,docs]' -e ./examples
	touch $@

# Debian packages the tests use: the reference CNI plugins (host-local, static) for the
# interop tests; ip, nft, nsenter and ping for the simulator's datapath (connectivity tests).
SYSTEM_PROGRAMS := ip:iproute2 nft:nftables nsenter:util-linux ping:iputils-ping
system-deps:
	@missing=""; \
	[ -x $(CNI_BIN_DIR)/host-local ] || missing="$$missing containernetworking-plugins"; \
	for pair in $(SYSTEM_PROGRAMS); do \
	  prog=$${pair%%:*}; \
	  command -v $$prog >/dev/null 2>&1 || [ -x /usr/sbin/$$prog ] || [ -x /sbin/$$prog ] \
	    || missing="$$missing $${pair#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "note: missing Debian packages:$$missing (cannot apt-get install: not root)"; fi; \
	fi

# The Go reference programs of the cniskel differential tests (tests/go), built offline
# from Debian's golang-go and golang-github-appc-cni-dev (containernetworking/cni 1.1.2):
# GOPATH mode over /usr/share/gocode, no module proxy, build cache under build/go.
GO_SRC      := /usr/share/gocode/src/github.com/containernetworking/cni
GO_BUILD_DIR := build/go
GO_ENV      := GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= GOPROXY=off GOTOOLCHAIN=local \
               GOCACHE=$(CURDIR)/$(GO_BUILD_DIR)/cache

go-deps:
	@if ! command -v go >/dev/null 2>&1 || [ ! -d $(GO_SRC) ]; then \
	  if command -v apt-get >/dev/null 2>&1 && [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq golang-go golang-github-appc-cni-dev >/dev/null; \
	  else echo "note: go or $(GO_SRC) missing and cannot apt-get install (not root)"; fi; \
	fi

$(GO_BUILD_DIR)/%: tests/go/%/main.go | go-deps
	$(GO_ENV) go build -o $@ ./tests/go/$*

go-reference: $(GO_BUILD_DIR)/oracle $(GO_BUILD_DIR)/refplugin

demo: setup
	$(BIN)/python examples/demo.py

lint: setup
	$(BIN)/ruff check .

typecheck: setup
	$(BIN)/mypy

unit: setup system-deps go-reference
	$(BIN)/python -m hcnpy.sim.standin >/dev/null
	$(BIN)/python -m pytest -q -n 2

# The conformance kit against the simulator (docs/hcnpy/conformance.md): every scenario must
# pass. It gets a state file of its own; the table, report.json and trace.jsonl stay in
# $(CONFORMANCE_OUT), and the table is printed only when something did not pass.
CONFORMANCE_OUT := build/conformance
conformance: setup
	rm -rf $(CONFORMANCE_OUT)
	mkdir -p $(CONFORMANCE_OUT)
	env -u HCNPY_SIM_FAULTS -u HCNPY_SIM_DATAPATH HCNPY_SIM_STATE=$(CONFORMANCE_OUT)/hns.sqlite3 \
	  $(BIN)/hcnpy conformance --backend sim --record $(CONFORMANCE_OUT) \
	  > $(CONFORMANCE_OUT)/table.txt || { cat $(CONFORMANCE_OUT)/table.txt; exit 1; }
	grep -E '^[0-9]+ rules: ' $(CONFORMANCE_OUT)/table.txt

# The documentation site (docs/conf.py): every warning is an error, so a broken
# cross-reference, include or docstring fails the build.
DOCS_OUT := build/docs
docs: setup
	rm -rf $(DOCS_OUT)
	$(BIN)/sphinx-build -q -W --keep-going -b html docs $(DOCS_OUT)

# Wheels and sdists of both distributions (hcnpy, hcnpy-winplugins), checked with twine
# then installed into a fresh venv and smoke-tested (tools/check_dist.py).
DIST_DIR := build/dist
dist: setup
	rm -rf $(DIST_DIR)
	$(BIN)/python -m build --no-isolation --outdir $(DIST_DIR) . >/dev/null
	$(BIN)/python -m build --no-isolation --outdir $(DIST_DIR) examples >/dev/null
	$(BIN)/twine check --strict $(DIST_DIR)/*
	$(BIN)/python tools/check_dist.py $(DIST_DIR)

test: lint typecheck unit conformance docs dist

# The differential tests against the Go reference with many more cases per area, then the
# plugins' reliability campaigns at full size (docs/winplugins/reliability.md): 10,000
# randomized steps with faults from fresh seeds, every key fuzzed for every verb, and the
# invariant report. Replay one campaign of the report:
#   make soak SOAK_SEED=<seed> SOAK_STEPS=<its steps> SOAK_CHUNKS=1
SOAK_CASES ?= 5000
SOAK_STEPS ?= 10000
SOAK_SEED ?= random
SOAK_CHUNKS ?= 4
SOAK_FUZZ_EXAMPLES ?= 400
CAMPAIGN_REPORTS := build/campaigns
soak: setup system-deps go-reference
	CNISKEL_SOAK=$(SOAK_CASES) $(BIN)/python -m pytest -q -n 2 tests/cniskel/differential
	rm -rf $(CAMPAIGN_REPORTS)
	@start=$$(date +%s); \
	WINPLUGINS_SOAK_STEPS=$(SOAK_STEPS) WINPLUGINS_CAMPAIGN_SEED=$(SOAK_SEED) \
	WINPLUGINS_CAMPAIGN_CHUNKS=$(SOAK_CHUNKS) \
	WINPLUGINS_CAMPAIGN_REPORTS=$(CAMPAIGN_REPORTS) WINPLUGINS_FUZZ_VERBS=ADD,CHECK,DEL,GC,STATUS \
	WINPLUGINS_FUZZ_EXAMPLES=$(SOAK_FUZZ_EXAMPLES) \
	  $(BIN)/python -m pytest -q -n 2 tests/campaigns; status=$$?; \
	echo "== invariant report (campaigns run in $$(( $$(date +%s) - start )) s of wall time) =="; \
	$(BIN)/python -m tests.campaigns.report $(CAMPAIGN_REPORTS) || status=1; \
	exit $$status

bench: setup system-deps
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache .hypothesis $(DOCS_OUT) $(DIST_DIR) $(GO_BUILD_DIR)
