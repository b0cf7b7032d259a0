#!/usr/bin/env bash
# Crash harness (issue 17): does every file condense writes survive kill -9 at random moments, a second writer and
# a full disk? Documented in tools/crashtest/README.md.
#
#   tools/crashtest.sh [--short | --long | --kills N] [--bin PATH] [--work DIR] [--seed S] [--only WORDS] [--lanes L]
#
# --short: a few trials per row on small runs, in two lanes at once (what the test suite runs, about a minute with
# a debug build); --long: 20 kills per row on the full-size runs (the documented result); --kills N: N per row on
# the full-size runs; --only: just the rows whose function name contains one of the comma-separated words (train,
# analyze, sweep, collision, race, disk, reproduce, flush); --lanes: rows run in L parallel lanes (default 2 short, 1 else).
# Prints one table row per scenario: trials, then the share of trials whose files were readable, whose snapshots
# were intact (an exact prefix of the uninterrupted run; for analyze also the previous analysis intact), whose
# next command worked, and whose resume ended bit-identical to the uninterrupted run ("n/a" where nothing is
# resumed). Exit status 0 only when every cell is 100 %; 1 otherwise; 2 on bad usage.
set -u

kills=20
short=0
only=""
bin=""
work=""
lanes=""
seed=$$
while [ $# -gt 0 ]; do
  case "$1" in
    --short) short=1 ;;
    --long) short=0; kills=20 ;;
    --kills) short=0; kills="$2"; shift ;;
    --bin) bin="$2"; shift ;;
    --work) work="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    --only) only="$2"; shift ;;
    --lanes) lanes="$2"; shift ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "crashtest.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
case "$kills$seed${lanes:-1}" in *[!0-9]*) echo "crashtest.sh: --kills, --seed and --lanes take whole numbers" >&2; exit 2 ;; esac
[ -n "$lanes" ] || lanes=$([ "$short" = 1 ] && echo 2 || echo 1)
[ "$lanes" -ge 1 ] || lanes=1
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
if [ -z "$bin" ]; then
  for candidate in "$root/.build/release/condense" "$root/.build/debug/condense"; do
    [ -x "$candidate" ] && { bin="$candidate"; break; }
  done
fi
[ -x "$bin" ] || { echo "crashtest.sh: no condense binary (build first, or pass --bin)" >&2; exit 2; }
python=/usr/bin/python3
"$python" -c "import h5py" 2>/dev/null || { echo "crashtest.sh: needs python3-h5py (tools/install-deps.sh)" >&2; exit 2; }
if [ -z "$work" ]; then work="$(mktemp -d /tmp/crashtest.XXXXXX)"; cleanup_work=1; else mkdir -p "$work"; cleanup_work=0; fi
mkdir -p "$work/.rows"
cleanup() {
  local m
  for m in "$work"/disk*/small; do mountpoint -q "$m" 2>/dev/null && umount "$m" 2>/dev/null; done
  [ "$cleanup_work" = 1 ] && rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
export OPENBLAS_NUM_THREADS=1
# Every command whose outcome counts goes through C, which keeps its stderr in $work/log (kept with --work) for
# explaining a cell below 100 %. (Background runs and those whose stderr is counted call "$bin" directly, so that
# $! is the condense process itself.)
C() { echo "== $(date +%T.%N | cut -c1-12) condense $*" >> "$work/log"; "$bin" "$@" 2>> "$work/log"; }

# The checks (tools/crashtest/check.py) run in one Python process per lane, started once: importing numpy and h5py
# for every check would cost more than the trials themselves. Requests and answers go through two FIFOs.
start_checker() {
  local d="$work/.checker$1"
  mkdir -p "$d"; rm -f "$d/in" "$d/out"; mkfifo "$d/in" "$d/out"
  "$python" "$here/crashtest/check.py" --serve < "$d/in" > "$d/out" &
  checker_pid=$!
  exec {check_in}>"$d/in" {check_out}<"$d/out"
}
stop_checker() { exec {check_in}>&- {check_out}<&-; wait "$checker_pid" 2>/dev/null; }
# check COMMAND ARGS...: one answer line (the words go tab-separated, so paths may hold spaces).
check() {
  local IFS=$'\t' line
  printf '%s\n' "$*" >&"$check_in"
  IFS= read -r line <&"$check_out" || line="error: the checker stopped"
  echo "$line"
}

# Trials per row: the short mode's small count, otherwise `kills` for every row.
n() { if [ "$short" = 1 ]; then echo "$1"; else echo "$kills"; fi; }

# Seconds (with millisecond digits) of a uniformly random moment in [lo, hi) milliseconds.
moment() { local lo=$1 hi=$2; local ms=$(( lo + (RANDOM * 32768 + RANDOM) % (hi - lo) )); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }
millis() { date +%s%3N; }

# Each row's line goes to $work/.rows/<row number>, so lanes can fill them in any order; `row` is the number of
# the row being measured, `row_start` when it began.
row=0
row_start=0
# record NAME TRIALS READABLE INTACT NEXT IDENT   (counts, or "na")
record() {
  local name=$1 t=$2 cells="" v line
  shift 2
  for v in "$@"; do
    if [ "$v" = na ]; then cells="$cells|      n/a"; else
      local pct=$(( t > 0 ? 100 * v / t : 0 ))
      [ "$v" -ne "$t" ] && cells="$cells|$(printf '%8d %%' "$pct")!" || cells="$cells|$(printf '%8d %%' "$pct")"
    fi
  done
  line="$(printf '%-36s|%7d' "$name" "$t")$cells"
  echo "$line" > "$work/.rows/$row"
  echo "$line   ($(( ($(millis) - row_start) / 1000 )) s)" >&2   # each row as it completes (the table follows on stdout)
}
skip() { local line; line="$(printf '%-36s| skipped: %s' "$1" "$2")"; echo "$line" > "$work/.rows/$row"; echo "$line" >&2; }

# --- kill -9 during train ------------------------------------------------------------------------------------------
# A reference run, then N runs of the same command killed at a random moment of its duration, each checked and
# resumed (or started again with --force when the kill came before the first snapshot reached the file).
train_row() {
  local name=$1 trials=$2; shift 2
  local args=("$@") dir="$work/train$row"; mkdir -p "$dir"
  local t0; t0=$(millis)
  C train "${args[@]}" -q -o "$dir/ref.h5" >/dev/null 2>&1 || { skip "$name" "reference run failed"; return; }
  local span=$(( $(millis) - t0 ))
  local r=0 i=0 x=0 b=0 k
  for k in $(seq "$trials"); do
    local cut="$dir/cut$k.h5"
    "$bin" train "${args[@]}" -q -o "$cut" >/dev/null 2>&1 &
    local pid=$!
    sleep "$(moment 20 $(( span > 40 ? span : 40 )))"
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    local flags ok_next=0 count
    if [ -e "$cut" ]; then flags=$(check prefix "$dir/ref.h5" "$cut"); count=$(check count "$cut"); else flags="1 1"; count=0; fi
    if [ "$count" -gt 0 ] && C inspect "$cut" 2>/dev/null | grep -q '^status *completed'; then
      # The kill came after the run had finished: the next command is a look at it.
      C inspect "$cut" >/dev/null 2>&1 && ok_next=1
    elif [ "$count" -gt 0 ]; then
      C train --resume "$cut" -q >/dev/null 2>&1 && ok_next=1
    elif [ "$count" = 0 ]; then
      # Killed before a snapshot reached the file (or before the file existed): nothing to resume, start again.
      C train "${args[@]}" -q -o "$cut" --force >/dev/null 2>&1 && ok_next=1
    fi
    # The killed writer's hidden .NAME.creating-PID file (if the kill came before the file was linked in) is gone
    # after the next command.
    ls -a "$dir" | grep -q '\.creating-' && ok_next=0
    set -- $flags
    r=$((r + $1)); i=$((i + $2)); x=$((x + ok_next))
    [ "$(check equal "$dir/ref.h5" "$cut")" = 1 ] && b=$((b + 1))
    rm -f "$cut"
  done
  record "$name" "$trials" "$r" "$i" "$x" "$b"
}

# --- kill -9 during an in-place analyze -----------------------------------------------------------------------------
# One run analyzed once; then N in-place analyses (alternating thresholds) killed at random moments, each followed
# by the checks: the file opens, its snapshots are untouched and /analysis (the previous complete one) reads back
# whole, and the next analyze works and stores a whole analysis.
analyze_row() {
  local trials=$1 steps=$2 name="analyze in place, kill -9"
  local dir="$work/analyze"; mkdir -p "$dir"
  C train -q --steps "$steps" --snapshots every:1 "${lean[@]}" -o "$dir/run.h5" >/dev/null 2>&1 || { skip "$name" "training failed"; return; }
  cp "$dir/run.h5" "$dir/ref.h5"
  local t0; t0=$(millis)
  C analyze "$dir/run.h5" --jobs 1 >/dev/null 2>&1 || { skip "$name" "first analyze failed"; return; }
  local span=$(( $(millis) - t0 ))
  local r=0 i=0 x=0 k
  for k in $(seq "$trials"); do
    local cos; cos=$([ $((k % 2)) = 0 ] && echo 0.95 || echo 0.9)
    "$bin" analyze "$dir/run.h5" --cos "$cos" --jobs 1 >/dev/null 2>&1 &
    local pid=$!
    sleep "$(moment 10 $(( span > 20 ? span : 20 )))"
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    set -- $(check analysis "$dir/run.h5")
    local readable=$1 whole=$2
    set -- $(check prefix "$dir/ref.h5" "$dir/run.h5")
    r=$((r + (readable & $1))); [ "$whole" = 1 ] && [ "$2" = 1 ] && [ "$(check equal "$dir/ref.h5" "$dir/run.h5")" = 1 ] && i=$((i + 1))
    if C analyze "$dir/run.h5" --jobs 1 >/dev/null 2>&1 && [ "$(check analysis "$dir/run.h5")" = "1 1" ]; then x=$((x + 1)); fi
  done
  record "$name" "$trials" "$r" "$i" "$x" na
}

# --- kill -9 during analyze -o and sweep collect: files written whole -----------------------------------------------
# Each trial kills `analyze RUN -o out.h5 --force` (out.h5 holding the previous analysis) or `sweep collect` (its
# summary.h5 holding the previous summary) at a random moment: the file at the name must be the previous one byte
# for byte or the new complete one (the same values: the command is the same), and the next command must work and
# leave no hidden file behind.
outputs_row() {
  local trials=$1 steps=$2 name="analyze -o / sweep collect, kill -9"
  local dir="$work/outputs"; mkdir -p "$dir"
  C train -q --steps "$steps" --snapshots every:1 "${lean[@]}" -o "$dir/run.h5" >/dev/null 2>&1 || { skip "$name" "training failed"; return; }
  cat > "$dir/s.json" <<'JSON'
{"name": "collect", "options": {"activation": "tanh", "steps": 50, "snapshots": "every:5", "n-test": 0},
 "axes": [{"option": "gamma", "values": [1, 2]}]}
JSON
  { C sweep plan "$dir/s.json" -o "$dir/sweep" && C sweep run "$dir/sweep" --jobs 1; } >/dev/null 2>&1 || { skip "$name" "sweep failed"; return; }
  local t0; t0=$(millis)
  C analyze "$dir/run.h5" -o "$dir/out.h5" --jobs 1 >/dev/null 2>&1 || { skip "$name" "analyze -o failed"; return; }
  local span_a=$(( $(millis) - t0 )); t0=$(millis)
  C sweep collect "$dir/sweep" >/dev/null 2>&1 || { skip "$name" "sweep collect failed"; return; }
  local span_c=$(( $(millis) - t0 ))
  local r=0 i=0 x=0 k
  for k in $(seq "$trials"); do
    local target span pid
    if [ $((k % 2)) = 1 ]; then
      target="$dir/out.h5"; span=$span_a
      cp "$target" "$dir/before.h5"
      "$bin" analyze "$dir/run.h5" -o "$target" --force --jobs 1 >/dev/null 2>&1 &
    else
      target="$dir/sweep/summary.h5"; span=$span_c
      cp "$target" "$dir/before.h5"
      "$bin" sweep collect "$dir/sweep" >/dev/null 2>&1 &
    fi
    pid=$!
    sleep "$(moment 10 $(( span > 20 ? span : 20 )))"
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    set -- $(check whole "$target")
    r=$((r + $1))
    # Intact: the previous file byte for byte, or the new complete one: the same command again, so every dataset
    # holds the previous values (a torn file lacks datasets or holds fill values).
    { cmp -s "$target" "$dir/before.h5" || [ "$(check data "$dir/before.h5" "$target")" = 1 ]; } && i=$((i + 1))
    local ok=0
    if [ $((k % 2)) = 1 ]; then C analyze "$dir/run.h5" -o "$target" --force --jobs 1 >/dev/null 2>&1 && ok=1
    else C sweep collect "$dir/sweep" >/dev/null 2>&1 && ok=1; fi
    [ "$(check whole "$target")" = "1 1" ] || ok=0
    ls -a "$dir" "$dir/sweep" | grep -q '\.creating-' && ok=0
    x=$((x + ok))
  done
  record "$name" "$trials" "$r" "$i" "$x" na
}

# --- kill -9 of sweep run -------------------------------------------------------------------------------------------
sweep_row() {
  local trials=$1 steps=$2 name="sweep run, kill -9 of the runner"
  local dir="$work/sweep"; mkdir -p "$dir"
  cat > "$dir/s.json" <<JSON
{"name": "crash", "options": {"activation": "tanh", "steps": $steps, "snapshots": "every:$((steps / 20))", "n-test": 0},
 "axes": [{"option": "gamma", "values": [1, 2]}], "seeds": 2}
JSON
  C sweep plan "$dir/s.json" -o "$dir/ref" >/dev/null 2>&1 || { skip "$name" "sweep plan failed"; return; }
  local t0; t0=$(millis)
  C sweep run "$dir/ref" --jobs 2 >/dev/null 2>&1 || { skip "$name" "reference sweep failed"; return; }
  local span=$(( $(millis) - t0 ))
  local r=0 i=0 x=0 b=0 k
  for k in $(seq "$trials"); do
    local s="$dir/cut$k"
    C sweep plan "$dir/s.json" -o "$s" >/dev/null 2>&1
    "$bin" sweep run "$s" --jobs 2 >/dev/null 2>&1 &
    local pid=$!
    sleep "$(moment 20 $(( span > 40 ? span : 40 )))"
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    sleep 0.5   # its train processes notice that the runner is gone and stop with a final snapshot
    local all_r=1 all_i=1 f id
    for f in "$s"/runs/*/run.h5; do
      [ -e "$f" ] || continue
      id=$(basename "$(dirname "$f")")
      set -- $(check grid "$dir/ref/runs/$id/run.h5" "$f")
      [ "$1" = 1 ] || all_r=0; [ "$2" = 1 ] || all_i=0
    done
    r=$((r + all_r)); i=$((i + all_i))
    if C sweep run "$s" --jobs 2 >/dev/null 2>&1 && C sweep status "$s" 2>/dev/null | grep -q "done"; then x=$((x + 1)); fi
    local same=1
    for f in "$dir"/ref/runs/*/run.h5; do
      id=$(basename "$(dirname "$f")")
      [ "$(check last "$f" "$s/runs/$id/run.h5")" = 1 ] || same=0
    done
    b=$((b + same))
    rm -rf "$s"
  done
  record "$name" "$trials" "$r" "$i" "$x" "$b"
}

# --- kill -9 of reproduce -------------------------------------------------------------------------------------------
# `condense reproduce p1-fig4a --quick` (a sweep over seeds of a 5-50-1 net, analyzed in-process, then
# summary.h5, result.json and report.md) killed at a random moment; then the same command again. Readable: every run
# file, summary.h5 and the JSON files open; intact: every run's snapshots are on the uninterrupted grid and
# summary.h5 is absent or the uninterrupted one's values; next works: the rerun exits 0 with a whole summary;
# resume =: every run's last snapshot and every value of summary.h5 equal the uninterrupted reproduce's.
reproduce_row() {
  local trials=$1 seeds=$2 name="reproduce, kill -9"
  local dir="$work/reproduce" id=p1-fig4a; mkdir -p "$dir"
  local cmd=(reproduce "$id" --quick --seeds "$seeds" --jobs 2)
  local t0; t0=$(millis)
  C "${cmd[@]}" -o "$dir/ref" >/dev/null 2>&1 || { skip "$name" "reference reproduce failed"; return; }
  local span=$(( $(millis) - t0 ))
  local r=0 i=0 x=0 b=0 k
  for k in $(seq "$trials"); do
    local o="$dir/cut$k"
    "$bin" "${cmd[@]}" -o "$o" >/dev/null 2>&1 &
    local pid=$!
    sleep "$(moment 20 $(( span > 40 ? span : 40 )))"
    kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null
    sleep 0.5   # its train processes notice that the runner is gone and stop
    local all_r=1 all_i=1 f run
    for f in "$o/$id"/runs/*/run.h5; do
      [ -e "$f" ] || continue
      run=$(basename "$(dirname "$f")")
      set -- $(check grid "$dir/ref/$id/runs/$run/run.h5" "$f")
      [ "$1" = 1 ] || all_r=0; [ "$2" = 1 ] || all_i=0
    done
    set -- $(check whole "$o/summary.h5"); [ "$1" = 1 ] || all_r=0
    [ -e "$o/summary.h5" ] && [ "$(check data "$dir/ref/summary.h5" "$o/summary.h5")" != 1 ] && all_i=0
    for f in "$o/$id/result.json" "$o/$id/manifest.json"; do [ "$(check json "$f")" = 1 ] || all_r=0; done
    r=$((r + all_r)); i=$((i + all_i))
    if C "${cmd[@]}" -o "$o" >/dev/null 2>&1 && [ "$(check whole "$o/summary.h5")" = "1 1" ] && [ -e "$o/summary.h5" ] \
       && ! ls -a "$o" | grep -q '\.creating-'; then x=$((x + 1)); fi
    local same=1
    for f in "$dir/ref/$id"/runs/*/run.h5; do
      run=$(basename "$(dirname "$f")")
      [ "$(check last "$f" "$o/$id/runs/$run/run.h5")" = 1 ] || same=0
    done
    [ "$(check data "$dir/ref/summary.h5" "$o/summary.h5")" = 1 ] || same=0
    b=$((b + same))
    rm -rf "$o"
  done
  record "$name" "$trials" "$r" "$i" "$x" "$b"
}

# --- a second writer while a run trains ----------------------------------------------------------------------------
# A long run (plain or --live); once its file is at its name, every other writer at once: a new run without and
# with --force (and --live), --resume (and --resume --live), an in-place analyze. Each must be refused (exit 2) and
# the first run must go on; it is then stopped (SIGTERM), checked against a straight run of the same grid, resumed
# for 200 more steps (100 in the short mode) and compared with a straight run to that step.
collision_row() {
  local trials=$1 live=$2 steps=$3 name="second writers vs a ${4} run"
  local dir="$work/collide$live"; mkdir -p "$dir"
  local base=(--hidden 50 --snapshots every:100 "${lean[@]}" -q)
  local opt=(); [ "$live" = 1 ] && opt=(--live)
  C train "${base[@]}" --steps "$steps" -o "$dir/grid.h5" >/dev/null 2>&1 || { skip "$name" "reference run failed"; return; }
  local r=0 i=0 x=0 b=0 k
  for k in $(seq "$trials"); do
    local f="$dir/run$k.h5"
    "$bin" train "${base[@]}" "${opt[@]}" --steps 1000000 -o "$f" >/dev/null 2>&1 &
    local pid=$! waited=0
    # Once its first snapshot is in (it trains and has its signal handlers), at a random moment after.
    until [ "$(check count_unlocked "$f")" -ge 1 ] 2>/dev/null || [ $waited -ge 1200 ]; do sleep 0.05; waited=$((waited + 1)); done
    sleep "$(moment 50 400)"
    local pids=() refused=1 p
    "$bin" train --steps 10 -o "$f" -q >/dev/null 2>&1 & pids+=($!)
    "$bin" train --steps 10 -o "$f" --force -q >/dev/null 2>&1 & pids+=($!)
    "$bin" train --steps 10 -o "$f" --force --live -q >/dev/null 2>&1 & pids+=($!)
    "$bin" train --resume "$f" --steps 200000000 -q >/dev/null 2>&1 & pids+=($!)
    "$bin" train --resume "$f" --steps 200000000 --live -q >/dev/null 2>&1 & pids+=($!)
    "$bin" analyze "$f" --jobs 1 >/dev/null 2>&1 & pids+=($!)
    for p in "${pids[@]}"; do wait "$p"; [ $? = 2 ] || refused=0; done
    kill -0 "$pid" 2>/dev/null || refused=0
    kill -TERM "$pid" 2>/dev/null; wait "$pid"; [ $? = 130 ] || refused=0
    set -- $(check grid "$dir/grid.h5" "$f")
    r=$((r + $1)); [ "$2" = 1 ] && [ "$refused" = 1 ] && i=$((i + 1))
    local last total
    last=$(C inspect "$f" 2>/dev/null | sed -n 's/.*state at step \([0-9]*\).*/\1/p' | head -1)
    total=$(( ${last:-0} + more ))
    if C train --resume "$f" --steps "$total" "${opt[@]}" -q >/dev/null 2>&1; then
      x=$((x + 1))
      C train "${base[@]}" --steps "$total" -o "$dir/straight$k.h5" >/dev/null 2>&1
      [ "$(check last "$dir/straight$k.h5" "$f")" = 1 ] && b=$((b + 1))
    fi
    rm -f "$f" "$dir/straight$k.h5"
  done
  record "$name" "$trials" "$r" "$i" "$x" "$b"
}

# Two new runs started at once on one name: exactly one may win, and the loser must leave its file alone.
race_row() {
  local trials=$1 steps=$2 name="two new runs on one name at once"
  local dir="$work/race"; mkdir -p "$dir"
  local args=(--steps "$steps" --snapshots every:100 "${lean[@]}" -q)
  C train "${args[@]}" -o "$dir/ref.h5" >/dev/null 2>&1 || { skip "$name" "reference run failed"; return; }
  local r=0 i=0 x=0 b=0 k
  for k in $(seq "$trials"); do
    local f="$dir/run$k.h5"
    "$bin" train "${args[@]}" -o "$f" >/dev/null 2>&1 & local p1=$!
    "$bin" train "${args[@]}" -o "$f" >/dev/null 2>&1 & local p2=$!
    wait "$p1"; local s1=$?; wait "$p2"; local s2=$?
    set -- $(check prefix "$dir/ref.h5" "$f")
    r=$((r + $1)); i=$((i + $2))
    [ $(( (s1 == 0) + (s2 == 0) )) = 1 ] && [ $(( (s1 == 2) + (s2 == 2) )) = 1 ] && x=$((x + 1))
    [ "$(check equal "$dir/ref.h5" "$f")" = 1 ] && b=$((b + 1))
    rm -f "$f"
  done
  record "$name" "$trials" "$r" "$i" "$x" "$b"
}

# --- a full disk ---------------------------------------------------------------------------------------------------
# A 1.5 MB tmpfs, partly filled at random; training into it until the disk is full, then the space is freed and
# the run resumed; an in-place analyze onto a full disk (the tmpfs grown to 3 MB, filled up to 20-420 KiB), then the
# analysis again once there is space.
disk_rows() {
  local trials=$1 analyzed=$2 first=$row
  if [ "$(id -u)" != 0 ]; then
    skip "train onto a full disk" "needs root to mount a small tmpfs"; row=$((first + 1)); skip "analyze onto a full disk" "needs root"; return
  fi
  local dir="$work/disk" mnt="$work/disk/small"; mkdir -p "$mnt"
  if ! mount -t tmpfs -o size=1500k tmpfs "$mnt" 2>/dev/null; then
    skip "train onto a full disk" "cannot mount a tmpfs here"; row=$((first + 1)); skip "analyze onto a full disk" "cannot mount a tmpfs here"; return
  fi
  local args=(--hidden 300 --steps 60 --snapshots every:2 "${lean[@]}" -q)
  C train "${args[@]}" -o "$dir/ref.h5" >/dev/null 2>&1 || { skip "train onto a full disk" "reference run failed"; umount "$mnt"; return; }
  local r=0 i=0 x=0 b=0 k
  for k in $(seq "$trials"); do
    rm -f "$mnt"/* "$mnt"/.[!.]*
    head -c $(( (700 + RANDOM % 500) * 1024 )) /dev/zero > "$mnt/filler" 2>/dev/null
    "$bin" train "${args[@]}" -o "$mnt/run.h5" >/dev/null 2>"$dir/err"
    local status=$? lines; lines=$(wc -l < "$dir/err")
    set -- $(check prefix "$dir/ref.h5" "$mnt/run.h5")
    local readable=$1 intact=$2
    [ "$status" = 2 ] && [ "$lines" = 1 ] || { [ "$status" = 0 ] || intact=0; }
    if [ ! -e "$mnt/run.h5" ]; then readable=1; intact=1; fi   # refused up front: nothing written
    r=$((r + readable)); i=$((i + intact))
    rm -f "$mnt/filler"
    if [ ! -e "$mnt/run.h5" ] || [ "$(check count "$mnt/run.h5")" -le 0 ]; then
      # Refused up front, or the disk was full before the first snapshot: nothing to resume, start again.
      C train "${args[@]}" -o "$mnt/run.h5" --force >/dev/null 2>&1 && x=$((x + 1))
    elif [ "$status" = 0 ] || C train --resume "$mnt/run.h5" -q >/dev/null 2>&1; then x=$((x + 1)); fi
    [ "$(check equal "$dir/ref.h5" "$mnt/run.h5")" = 1 ] && b=$((b + 1))
  done
  record "train onto a full disk" "$trials" "$r" "$i" "$x" "$b"

  row=$((first + 1)); row_start=$(millis)
  r=0 i=0 x=0
  # Room for the run, its analysis, a failed analysis's leftover (never deleted: FORMAT.md) and the next one.
  mount -o remount,size=3000k "$mnt" 2>/dev/null
  # At most 51 snapshots: the run (with its analysis under 0.5 MB) must fit in the tmpfs with room to spare.
  C train -q --steps $(( analyzed < 50 ? analyzed : 50 )) --snapshots every:1 "${lean[@]}" -o "$dir/arun.h5" >/dev/null 2>&1
  C analyze "$dir/arun.h5" --jobs 1 >/dev/null 2>&1
  for k in $(seq "$trials"); do
    rm -f "$mnt"/* "$mnt"/.[!.]*
    cp "$dir/arun.h5" "$mnt/run.h5"
    local free; free=$(( $(stat -f -c '%a*%S' "$mnt" ) ))
    head -c $(( free - (20 + RANDOM % 400) * 1024 > 0 ? free - (20 + RANDOM % 400) * 1024 : 0 )) /dev/zero > "$mnt/filler" 2>/dev/null
    "$bin" analyze "$mnt/run.h5" --cos 0.9 --jobs 1 >/dev/null 2>"$dir/err"
    local status=$? lines; lines=$(wc -l < "$dir/err")
    set -- $(check analysis "$mnt/run.h5")
    local readable=$1 whole=$2
    set -- $(check prefix "$dir/arun.h5" "$mnt/run.h5")
    r=$((r + (readable & $1)))
    { [ "$status" = 0 ] || { [ "$status" = 2 ] && [ "$lines" = 1 ]; }; } && [ "$whole" = 1 ] && [ "$2" = 1 ] && i=$((i + 1))
    rm -f "$mnt/filler"
    local next=0 whole_after
    C analyze "$mnt/run.h5" --jobs 1 >/dev/null 2>&1 && next=1
    whole_after=$(check analysis "$mnt/run.h5")
    if [ "$next" = 1 ] && [ "$whole_after" = "1 1" ]; then x=$((x + 1)); else
      echo "   (trial $k: the analyze onto the full disk exited $status; the next one exited $((1 - next)) (0 = ok), its file: readable, whole = $whole_after)" >> "$work/log"
    fi
  done
  record "analyze onto a full disk" "$trials" "$r" "$i" "$x" na
  umount "$mnt" 2>/dev/null
}

start=$(millis)
want() { [ -z "$only" ] && return 0; local w; for w in ${only//,/ }; do case "$1" in *"$w"*) return 0 ;; esac; done; return 1; }
# The short mode trains and analyzes less per trial (and runs two lanes at once), so that it takes about a minute
# even with a debug build; the long mode's sizes are those of the documented result.
if [ "$short" = 1 ]; then
  small=300 wide=300,300 wsteps=6 analyzed=24 sweep=100 grid=400 race=300 seeds=2 more=100
  lean=(--n-test 0)   # no test loss at every snapshot: with a debug build it costs more than the training
else
  small=2000 wide=1000,1000 wsteps=12 analyzed=200 sweep=1000 grid=3000 race=1500 seeds=2 more=200
  lean=()
fi
# Every row: its number (the table's order), the word --only matches, the lane it runs in, and the call. In the
# short mode the rows are spread over the lanes so that each takes about as long.
jobs=(
  "1|train_row|train 5-50-1, kill -9|train_row 'train 5-50-1, kill -9' $(n 3) --hidden 50 --steps $small --snapshots every:20 --optimizer adam --batch-size 30 ${lean[*]}"
  "2|train_row|train 5-${wide/,/-}-1, kill -9|train_row 'train 5-${wide/,/-}-1, kill -9' $(n 2) --hidden $wide --steps $wsteps --snapshots every:2 --optimizer adam ${lean[*]}"
  "3|analyze_row|analyze in place, kill -9|analyze_row $(n 3) $analyzed"
  "4|outputs_row analyze sweep|analyze -o / sweep collect, kill -9|outputs_row $(n 2) $analyzed"
  "5|sweep_row|sweep run, kill -9 of the runner|sweep_row $(n 1) $sweep"
  "6|reproduce_row|reproduce, kill -9|reproduce_row $(n 2) $seeds"
  "7|collision_row|second writers vs a plain run|collision_row $(n 1) 0 $grid plain"
  "8|collision_row|second writers vs a --live run|collision_row $(n 1) 1 $grid --live"
  "9|race_row|two new runs on one name at once|race_row $(n 1) $race"
  "10|disk_rows|train onto a full disk|disk_rows $(n 1) $analyzed"
)
# The long mode also kills a run whose writer flushes all the time (a snapshot every step, written at once), so
# that kills land inside HDF5's flushes: a run file must survive that too (every run is written in SWMR mode for
# it; plain files were torn there). Not in the short mode, which it would make minutes longer.
[ "$short" = 1 ] || jobs+=(
  "12|flush_row train_row|train every step, kill -9 in flushes|(export CONDENSE_WRITER_MAX_DELAY=0; train_row 'train every step, kill -9 in flushes' $(n 1) --hidden 12 --batch-size 32 --optimizer adam --steps 20000 --snapshots every:1)"
)
lane_of() {   # lane of row $1 (1-based) when there are $lanes lanes
  if [ "$lanes" = 1 ]; then echo 1; return; fi
  case "$1" in 1|3|4|7|9|12) echo 1 ;; *) echo 2 ;; esac
}
run_lane() {
  local lane=$1 job number words call
  RANDOM=$((seed + 7919 * (lane - 1)))   # each lane its own sequence, the same for the same --seed
  start_checker "$lane"
  for job in "${jobs[@]}"; do
    IFS='|' read -r number words _ call <<< "$job"
    [ "$(lane_of "$number")" = "$lane" ] || continue
    local hit=0 w
    for w in $words; do want "$w" && hit=1; done
    [ "$hit" = 1 ] || continue
    row=$number; row_start=$(millis)
    eval "$call"
  done
  stop_checker
}
pids=()
for lane in $(seq "$lanes"); do
  if [ "$lanes" = 1 ]; then run_lane 1; else run_lane "$lane" & pids+=($!); fi
done
for p in "${pids[@]}"; do wait "$p"; done

printf '%-36s|%7s|%10s|%10s|%10s|%10s\n' "scenario" "trials" "readable" "intact" "next works" "resume ="
printf '%s\n' "$(printf '%.0s-' $(seq 88))"
fail=0
for number in $(seq 12); do
  f="$work/.rows/$number"
  [ -e "$f" ] || continue
  line=$(cat "$f")
  case "$line" in *'%!'*) fail=1 ;; esac
  echo "${line//%!/%}"
done
echo "($(( ($(millis) - start) / 1000 )) s, $lanes lane(s), binary $bin, seed $seed)"
exit $fail
