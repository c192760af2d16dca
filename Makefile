# The two commands the README starts with: `make demo` and `make test`.
# Each one creates .venv and installs what it needs on first use.
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip -q --disable-pip-version-check

.PHONY: demo test install serve bench bench-web train evaluate clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	# torch first, pinned to the CPU build: a bare requirement would pull a multi-GB CUDA build.
	$(PIP) install "torch==2.13.0"
	$(PIP) install -e ".[dev,scale]"
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/stratlens demo --out stratlens-demo $(if $(SERVE),--serve)

test: $(VENV)/.installed
	# Debian's Chromium for the browser tests (axe-core, keyboard walk); installed when missing and root.
	@if [ ! -x /usr/bin/chromium ] && [ "$$(id -u)" = "0" ]; then bash scripts/install-browser.sh; fi
	$(PY) -m pytest -q

# The example corpus in the web app (built first if stratlens-demo/ has no store); `make demo SERVE=1` too.
serve: $(VENV)/.installed
	$(VENV)/bin/stratlens serve --demo

bench-web: $(VENV)/.installed
	$(PY) bench/load.py

# Tunes MiniLM's top layers on the LGA dev passages (about 6 minutes), then refits every head on
# the new vectors (about 12 minutes). `stratlens train -f ID` alone refits one framework's heads.
train: $(VENV)/.installed
	$(VENV)/bin/stratlens tune -f lga-digitalisation-outcomes
	for f in lga-digitalisation-outcomes wales-council-strategy-topics welsh-gov-vs-councils wlga-digital-strategy-2021 blackwell-2016 good-digital-strategy; do \
		$(VENV)/bin/stratlens train -f $$f || exit 1; done

bench: $(VENV)/.installed
	$(PY) bench/speed.py
	$(PY) bench/quality.py

clean:
	rm -rf $(VENV) stratlens-demo .pytest_cache
