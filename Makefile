# Forkboard: the two commands of README.md.
#   make demo   sets up what is missing, builds, and runs the demo on the bundled challenge
#   make test   sets up what is missing, builds, and runs every test
# and for maintainers:
#   make check  builds and runs the in-process tests (every target but EndToEndTests), the
#               ones to run after each change; well under a minute on 2 cores once built
SHELL := /bin/bash
RUNTIME := $(CURDIR)/.runtime/venv
PYTHON := $(RUNTIME)/bin/python
REQUIREMENTS := templates/breast-cancer/requirements.txt
APT_PACKAGES := git libgit2-dev pkg-config zlib1g-dev bubblewrap python3 python3-venv util-linux graphviz
# What the tests use besides: curl (HTTP requests), procps (pgrep), R and its random forest
# (the wine-r template's submissions), Chromium (the web pages in a real browser).
TEST_APT_PACKAGES := curl procps r-base-core r-cran-randomforest chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

export FORKBOARD_PYTHON := $(PYTHON)

.PHONY: demo test check chaos build system-packages runtime clean

# The demo's port: make demo PORT=8081 when 8080 is taken (0: any free port).
PORT ?= 8080

demo: system-packages runtime build
	.build/debug/forkboard demo --port $(PORT)

# The Slurm executor's tests start a real one-node cluster (scripts/slurm-test-cluster) and
# it is stopped by PID after the tests, whatever their outcome. The tests run under a
# terminal (script), so that their progress is printed line by line even into a pipe, and
# under a watchdog: a run that hangs ends with what it printed, instead of without it.
test: APT_PACKAGES += $(TEST_APT_PACKAGES)
test: system-packages runtime
	scripts/slurm-test-cluster install
	swift build --build-tests
	status=0; timeout --kill-after=60 75m script -qefc "swift test --skip-build" /dev/null || status=$$?; \
	  scripts/slurm-test-cluster stop; exit $$status

check: system-packages runtime
	swift build --build-tests
	swift test --skip-build --skip EndToEndTests

# The crash-recovery loop at full length: 20 trials of kill -9 at random moments (CI runs 3).
chaos: APT_PACKAGES += $(TEST_APT_PACKAGES)
chaos: system-packages runtime
	swift build --build-tests
	FORKBOARD_CHAOS_TRIALS=20 swift test --skip-build --filter CrashRecovery

build:
	swift build

# Debian or Ubuntu packages: installed only when one is missing.
system-packages:
	@missing=""; for package in $(APT_PACKAGES); do \
	  dpkg -s $$package >/dev/null 2>&1 || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi

# The Python runtime submissions run with: a virtual environment with the template's requirements.
runtime: $(RUNTIME)/.installed

$(RUNTIME)/.installed: $(REQUIREMENTS)
	python3 -m venv $(RUNTIME)
	$(PYTHON) -m pip install --quiet --upgrade pip
	$(PYTHON) -m pip install --quiet -r $(REQUIREMENTS)
	touch $@

clean:
	rm -rf .build .runtime
