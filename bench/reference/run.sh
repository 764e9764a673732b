#!/usr/bin/env bash
# Fiji CLIP side by side with its PyTorch reference (bench/reference/clip_reference.py): sets up bench/.venv with
# setup.sh when needed, builds the project (main and test classes) when the sources changed, and runs
# sc.fiji.clip.bench.ReferenceComparison with OMP_WAIT_POLICY=PASSIVE. Options go to ReferenceComparison, e.g.
#   bench/reference/run.sh --threads 2            # seed and small: table on stdout, JSON in bench/work/reference/
#   bench/reference/run.sh --threads 2 --profile  # and a profile of a seed train step on both sides
#   bench/reference/run.sh --help
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
bench/reference/setup.sh >&2
python="$(cat bench/.venv/reference-python)"
stamp=target/.reference-build
if [[ ! -f "$stamp" || ! -f target/classpath-runtime.txt ]] \
	|| [[ -n "$(find pom.xml src/main src/test -newer "$stamp" -print -quit 2>/dev/null)" ]]; then
	echo "run.sh: building (mvn -DskipTests package)..." >&2
	mkdir -p target
	if ! mvn -B -q -Dstyle.color=never -DskipTests package >target/reference-build.log 2>&1; then
		cat target/reference-build.log >&2
		exit 1
	fi
	touch "$stamp"
fi
# libtorch's OpenMP threads spin while waiting by default: on a shared machine that makes everything much slower
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-PASSIVE}"
classpath="target/test-classes:target/classes:$(cat target/classpath-runtime.txt):$(cat target/classpath-provided.txt)"
exec java -Xmx4g -Djava.awt.headless=true -Dai.djl.offline=true --add-opens=java.base/java.lang=ALL-UNNAMED \
	-cp "$classpath" sc.fiji.clip.bench.ReferenceComparison --python "$python" "$@"
