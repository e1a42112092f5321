# HealthSecure front door. `make run` starts the product on the embedded
# defaults (SQLite, in-process session store, demo data); `make test` runs
# every check and test.

.PHONY: run test web build release demo import bench clean

run: web release
	./scripts/run

test:
	./scripts/test

web:
	./scripts/web-build

build:
	cargo build --workspace

release:
	cargo build --release --bin healthsecure

demo: release
	./target/release/healthsecure demo

# make import DATA=../shared/data/synthea-r4
import: release
	./target/release/healthsecure import-fhir $(DATA)

# Load tests against the bare limit on SQLite and MariaDB (several minutes;
# needs ../shared/data/synthea-r4). See docs/PERFORMANCE.md.
bench:
	./scripts/bench

clean:
	cargo clean
	rm -rf frontend/dist
