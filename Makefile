# TunnelOperator: the two commands a newcomer needs are `make run` and `make test`.
SHELL := /bin/bash
CONFIGURATION ?= Release
DOTNET ?= dotnet
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE := 1

.PHONY: all deps deps-run restore build run run-edge test bench clean format manifests

all: build

## deps: install the Debian packages the tests and benchmarks drive (only what is missing)
deps:
	@scripts/install-deps.sh test

deps-run:
	@scripts/install-deps.sh run

restore:
	$(DOTNET) restore TunnelOperator.sln

## build: compile everything and leave runnable programs at bin/tunneld and bin/tunnelctl
build: restore
	$(DOTNET) build TunnelOperator.sln -c $(CONFIGURATION) --no-restore -nologo -clp:ErrorsOnly
	@scripts/publish.sh $(CONFIGURATION)

## run: the whole suite locally (tunneld local: a Kubernetes API, its workload runner, the operator) and the quick start
run: deps-run build
	@scripts/run-local.sh

## run-edge: a lone edge on embedded defaults (SQLite, generated CA, *.localhost), no Kubernetes, and next steps
run-edge: deps-run build
	@scripts/run-edge.sh

## test: install what the tests need, build, and run every test project
test: deps build
	@scripts/test.sh $(CONFIGURATION)

## bench: throughput and latency side by side: direct, nginx/haproxy, tunnel (HTTP, then TCP/UDP ports)
bench: build
	@scripts/install-deps.sh bench
	@bench/run.sh
	@bench/l4.sh
	@bench/operator.sh

## manifests: regenerate the CRDs (config/crd/bases and the Helm chart's crds/) from the types in src/TunnelOperator.Crds; tests check both for drift
manifests: build
	bin/tunneld crds --output-dir config/crd/bases
	bin/tunneld crds --output-dir charts/tunnel-operator/crds

format:
	$(DOTNET) format TunnelOperator.sln

clean:
	rm -rf bin .local
	find src tests -type d \( -name bin -o -name obj \) -prune -exec rm -rf {} +
