#!/usr/bin/env bash
# Builds the fuzz targets (libFuzzer + AddressSanitizer) and runs each on its corpus for a while.
#
#   Fuzz/run.sh [--update-corpus] [--skip-build] [seconds-per-target] [target...]
#
# seconds-per-target defaults to 60; the targets default to all six. Each target starts from
# Fuzz/Corpus/<target>/ (plus Fuzz/Dictionaries/<target>.dict when present) and writes the inputs it
# finds into a scratch copy under Fuzz/.scratch/<run>/, never into the committed corpus, unless
# --update-corpus is given: then what the run found is merged (-merge=1, so only inputs adding
# coverage) into Fuzz/Corpus/<target>/. Crash, leak, timeout and out-of-memory inputs land in
# Fuzz/.scratch/<run>/<target>/artifacts/; the script prints their paths and exits non-zero.
#
# Environment: FUZZ_JOBS (build jobs, default: swift's), FUZZ_NICE (nice level, default 10),
# FUZZ_EXTRA_ARGS (more libFuzzer flags), ZORGNET_ROOT (checkout the targets read Profiles/ and
# Schemas/ from; default: the one they were built in).
set -euo pipefail

FUZZ_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ALL_TARGETS=(json-reader xml-reader search-query oauth-request pzc-import medmij-list)

usage() {
    sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

die() {
    echo "run.sh: $*" >&2
    exit 2
}

seconds=""
update_corpus=0
skip_build=0
targets=()
for argument in "$@"; do
    case "$argument" in
    -h | --help) usage; exit 0 ;;
    --update-corpus) update_corpus=1 ;;
    --skip-build) skip_build=1 ;;
    -*) die "unknown option '$argument' (see --help)" ;;
    *)
        if [[ -z "$seconds" && "$argument" =~ ^[0-9]+$ ]]; then
            seconds="$argument"
        elif [[ " ${ALL_TARGETS[*]} " == *" $argument "* ]]; then
            targets+=("$argument")
        else
            die "unknown target '$argument'; the targets are: ${ALL_TARGETS[*]}"
        fi
        ;;
    esac
done
seconds="${seconds:-60}"
[[ "$seconds" -gt 0 ]] || die "seconds-per-target must be a positive number"
[[ ${#targets[@]} -gt 0 ]] || targets=("${ALL_TARGETS[@]}")
command -v swift >/dev/null || die "swift is not on PATH"

# Swift's own crash backtracer reads freed memory while it walks the stack, which AddressSanitizer then
# reports instead of the real fault; libFuzzer prints the stack of a crash itself.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"
# Swift globals holding enum trees look leaked to LeakSanitizer; see lsan.supp.
export LSAN_OPTIONS="suppressions=$FUZZ_DIR/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"

cd "$FUZZ_DIR"
# SwiftPM hands swiftc one `-sanitize=` flag per sanitizer, in no fixed order, and swiftc keeps only the
# last: a build got either coverage (and no ASan) or ASan (and no coverage, so no guidance). The
# combined flag, which comes after them, gives every Swift module both; clang adds up its
# `-fsanitize=` flags, so the C modules have both already.
build_flags=(-c release --sanitize fuzzer --sanitize address -Xswiftc -sanitize=fuzzer,address --scratch-path "$FUZZ_DIR/.build")
[[ -n "${FUZZ_JOBS:-}" ]] && build_flags+=(--jobs "$FUZZ_JOBS")

run_dir="$FUZZ_DIR/.scratch/$(date -u +%Y%m%dT%H%M%SZ)-$$"
mkdir -p "$run_dir"

if [[ "$skip_build" -eq 0 ]]; then
    echo "==> Building the fuzz targets (swift build ${build_flags[*]}); log: $run_dir/build.log"
    build_start=$SECONDS
    if ! swift build "${build_flags[@]}" >"$run_dir/build.log" 2>&1; then
        tail -n 40 "$run_dir/build.log" >&2
        die "the build failed (full log: $run_dir/build.log)"
    fi
    echo "    built in $((SECONDS - build_start)) s"
fi
bin_dir="$(swift build "${build_flags[@]}" --show-bin-path)"
# Both instrumentations in the Swift modules (see build_flags), or fuzzing would be blind or unchecked.
# (A single small file may need neither, so the FHIR module's objects are looked at together.)
symbols="$(find "$bin_dir/FHIR.build" -name '*.swift.o' -exec nm {} + 2>/dev/null || true)"
[[ -n "$symbols" ]] || die "no object files under $bin_dir/FHIR.build (run without --skip-build)"
for symbol in __asan __sancov; do
    grep -q "$symbol" <<<"$symbols" || die "the FHIR module has no $symbol symbols: the build lacks a sanitizer (rebuild without --skip-build)"
done
for target in "${targets[@]}"; do
    [[ -x "$bin_dir/$target" ]] || die "no fuzz binary $bin_dir/$target (run without --skip-build)"
done

failed=()
summary=()
for target in "${targets[@]}"; do
    corpus="$FUZZ_DIR/Corpus/$target"
    work="$run_dir/$target"
    mkdir -p "$work/corpus" "$work/artifacts"
    if [[ -d "$corpus" ]]; then
        cp -R "$corpus/." "$work/corpus/"
    else
        echo "    (no committed corpus at $corpus: starting empty)"
    fi
    options=(-max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 -print_final_stats=1
        -artifact_prefix="$work/artifacts/")
    [[ -f "$FUZZ_DIR/Dictionaries/$target.dict" ]] && options+=(-dict="$FUZZ_DIR/Dictionaries/$target.dict")
    # shellcheck disable=SC2206
    [[ -n "${FUZZ_EXTRA_ARGS:-}" ]] && options+=(${FUZZ_EXTRA_ARGS})

    echo "==> $target: ${seconds} s on $(find "$work/corpus" -type f | wc -l | tr -d ' ') inputs; log: $work/fuzz.log"
    status=0
    nice -n "${FUZZ_NICE:-10}" "$bin_dir/$target" "${options[@]}" "$work/corpus" >"$work/fuzz.log" 2>&1 || status=$?

    stats="$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED|NEW|REDUCE|pulse|RELOAD)' "$work/fuzz.log" | tail -n 1 \
        | sed -E 's/^#([0-9]+)[[:space:]]+[A-Za-z]+[[:space:]]+/\1 runs, /; s/ lim: [0-9]+//; s/ exec\/s: [0-9]+//' || true)"
    rate="$(grep -E '^stat::average_exec_per_sec:' "$work/fuzz.log" | awk '{print $2}' || true)"
    artifacts=("$work"/artifacts/*)
    if [[ "$status" -ne 0 || -e "${artifacts[0]}" ]]; then
        failed+=("$target")
        summary+=("$target: FAILED (exit $status) ${stats}")
        echo "!!! $target failed (exit $status). The end of its log:" >&2
        grep -E 'ERROR: |SUMMARY: |Fatal error|Precondition failed|==[0-9]+==' "$work/fuzz.log" | head -n 10 >&2 || true
        tail -n 25 "$work/fuzz.log" >&2
        for artifact in "${artifacts[@]}"; do
            [[ -e "$artifact" ]] && echo "!!! crashing input: $artifact" >&2
        done
        echo "    reproduce: $bin_dir/$target ${artifacts[0]}" >&2
        continue
    fi
    summary+=("$target: ok, ${rate:-?} exec/s, ${stats}")
    if [[ "$update_corpus" -eq 1 ]]; then
        mkdir -p "$corpus"
        before="$(find "$corpus" -type f | wc -l | tr -d ' ')"
        touch "$work/merge-start"
        "$bin_dir/$target" -merge=1 -rss_limit_mb=2048 -timeout=10 "$corpus" "$work/corpus" >"$work/merge.log" 2>&1 \
            || die "merging into $corpus failed (log: $work/merge.log)"
        if [[ "$target" == pzc-import ]]; then
            # Mutated 25-50 KB exports would make this corpus tens of megabytes, and a run rebuilds
            # them from the seed exports in seconds: only found inputs up to 4 KB are kept.
            find "$corpus" -type f -newer "$work/merge-start" -size +4k -delete
        fi
        echo "    corpus $corpus: $before -> $(find "$corpus" -type f | wc -l | tr -d ' ') inputs"
    fi
done

echo "==> Summary (${seconds} s per target; scratch: $run_dir)"
printf '    %s\n' "${summary[@]}"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "run.sh: ${#failed[@]} target(s) failed: ${failed[*]}" >&2
    exit 1
fi
