#!/usr/bin/env bash
# Every measurement of issue 18 (GPU throughput) on a lent GPU, in two device calls that fit the
# 15 minutes a task is lent (each part well under the 10-minute command limit), every table
# written to $OUT as it finishes, so a part cut short still returns what it measured.
#
#   part "kernels" (~6 min): GEMM at 512³..4096³ and the NMF shapes for every family (the
#     double-buffered tiles included), the tiled kernels' split-K pieces on the thin products,
#     MU/HALS/semi-NMF/Deep Semi-NMF per iteration at n=5000 d=4096 k=100 (solver_bench --large)
#     with the default tiles and with tiled_db_128x128, and MU/HALS at CelebA size (200,000 x
#     4096 u8, streamed in blocks: large_nmf_bench).
#   part "deep" (~8 min): the GEMM tests on the GPU (every variant against float64, the
#     subgroup one where the adapter has subgroups), then bench/deep_wsf_scale_bench.ts at n=200,000 d=4096 layers 512,256, 100
#     iterations per phase, per stage, linear (MU) and non-linear (relu, Adam).
#
# The device machine has no Deno and no network, so carry one. Here, once:
#   mkdir -p .gpu && xz -T2 -6 -c "$(readlink -f "$(command -v deno)")" > .gpu/deno.xz
#   echo /.gpu/ >> .git/info/exclude
# Then, with the device tool: run(command: "bash bench/gpu_issue18.sh kernels", carry: [".gpu"],
# timeout_s: 420), then the same with "deep" and timeout_s: 480. Paste the tables into
# bench/RESULTS.md with the adapter's name (each table's first line) and its FP32 peak.
set -uo pipefail
cd "$(dirname "$0")/.."
part="${1:-}"
out="${OUT:-runs/gpu-issue18}"
mkdir -p "$out"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp}"
deno="${DENO:-}"
if [[ -z "$deno" ]]; then
  if [[ -f .gpu/deno.xz ]]; then
    xz -dc .gpu/deno.xz > /tmp/deno && chmod +x /tmp/deno && deno=/tmp/deno
  else
    deno=deno
  fi
fi
flags=(--allow-read --allow-write --allow-env --allow-ffi --allow-run)

step() { # name, seconds, script and arguments
  local name="$1" limit="$2"
  shift 2
  echo "== $name (at most ${limit} s)"
  local t0=$SECONDS
  # One file per step (the device returns at most 8): the table, then any messages.
  timeout "$limit" "$deno" "${SUB:-run}" "${flags[@]}" "$@" > "$out/$name.md" 2>&1
  local rc=$?
  echo "   rc=$rc after $((SECONDS - t0)) s"
  tail -n 3 "$out/$name.md"
}

case "$part" in
  kernels)
    nvidia-smi --query-gpu=name,clocks.max.sm,memory.total --format=csv > "$out/gpu.csv" 2>&1
    step gemm 100 bench/gemm_bench.ts
    step gemm-split 50 bench/gemm_bench.ts --split
    step solvers 90 bench/solver_bench.ts --large
    FACET_GEMM=tiled_db_128x128 step solvers-db128 70 bench/solver_bench.ts --large
    step celeba-nmf 90 bench/large_nmf_bench.ts
    ;;
  deep)
    # Every GEMM variant against float64 on the real GPU, the subgroup one included.
    SUB=test step gemm-tests 40 tests/gpu/gemm_test.ts
    step deep-wsf-linear 210 bench/deep_wsf_scale_bench.ts
    step deep-wsf-relu 210 bench/deep_wsf_scale_bench.ts --activation relu
    ;;
  *)
    echo "usage: bash bench/gpu_issue18.sh kernels|deep (see the comment at its top)" >&2
    exit 2
    ;;
esac
