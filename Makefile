# HealthSecure front door. `make run` starts the product on the embedded
# defaults (SQLite, in-process session store, demo data); `make test` runs
# every check and test.

.PHONY: run test web build release demo import clean

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

clean:
	cargo clean
	rm -rf frontend/dist
