#!/usr/bin/env bash
# Crash harness (issue 17): does every run file survive kill -9 at random moments, a second writer and a full
# disk? Documented in tools/crashtest/README.md.
#
#   tools/crashtest.sh [--short | --long | --kills N] [--bin PATH] [--work DIR] [--seed S] [--only WORDS]
#
# --short: a few trials per row (about a minute with a debug build; what the test suite runs);
# --long: 20 kills per row (the documented result, tools/bench/results.md); --kills N: N per row; --only: just the
# rows whose function name contains one of the comma-separated words (train, analyze, sweep, collision, race, disk).
# Prints one table row per scenario: trials, then the share of trials whose files were readable, whose snapshots
# were intact (an exact prefix of the uninterrupted run; for analyze also the previous analysis intact), whose
# next command worked, and whose resume ended bit-identical to the uninterrupted run ("n/a" where nothing is
# resumed). Exit status 0 only when every cell is 100 %; 1 otherwise; 2 on bad usage.
set -u

kills=20
only=""
bin=""
work=""
seed=$$
while [ $# -gt 0 ]; do
  case "$1" in
    --short) kills=0 ;;
    --long) kills=20 ;;
    --kills) kills="$2"; shift ;;
    --bin) bin="$2"; shift ;;
    --work) work="$2"; shift ;;
    --seed) seed="$2"; shift ;;
    --only) only="$2"; shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "crashtest.sh: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
RANDOM=$seed
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
check() { "$python" "$here/crashtest/check.py" "$@"; }
if [ -z "$work" ]; then work="$(mktemp -d /tmp/crashtest.XXXXXX)"; cleanup_work=1; else mkdir -p "$work"; cleanup_work=0; fi
mounted=""
cleanup() {
  [ -n "$mounted" ] && umount "$mounted" 2>/dev/null
  [ "$cleanup_work" = 1 ] && rm -rf "$work"
}
trap cleanup EXIT
export OPENBLAS_NUM_THREADS=1
# (Background runs call "$bin" directly, so that $! is the condense process itself, not a subshell.)
C() { "$bin" "$@"; }

# Trials per row: --short uses small counts, otherwise `kills` for every row.
n() { if [ "$kills" = 0 ]; then echo "$1"; else echo "$kills"; fi; }

# Seconds (with millisecond digits) of a uniformly random moment in [lo, hi) milliseconds.
moment() { local lo=$1 hi=$2; local ms=$(( lo + (RANDOM * 32768 + RANDOM) % (hi - lo) )); printf '%d.%03d' $((ms / 1000)) $((ms % 1000)); }
millis() { date +%s%3N; }

rows=()
fail=0
# record NAME TRIALS READABLE INTACT NEXT IDENT   (counts, or "na")
record() {
  local name=$1 t=$2 cells="" v
  shift 2
  for v in "$@"; do
    if [ "$v" = na ]; then cells="$cells|      n/a"; else
      local pct=$(( t > 0 ? 100 * v / t : 0 ))
      [ "$v" -ne "$t" ] && fail=1
      cells="$cells|$(printf '%8d %%' "$pct")"
    fi
  done
  rows+=("$(printf '%-34s|%7d' "$name" "$t")$cells")
  echo "${rows[${#rows[@]}-1]}" >&2   # each row as it completes (the table follows on stdout)
}
skip() { rows+=("$(printf '%-34s| skipped: %s' "$1" "$2")"); echo "${rows[${#rows[@]}-1]}" >&2; }

# --- kill -9 during train ------------------------------------------------------------------------------------------
# A reference run, then N runs of the same command killed at a random moment of its duration, each checked and
# resumed (or started again with --force when the kill came before the first snapshot reached the file).
train_row() {
  local name=$1 trials=$2; shift 2
  local args=("$@") dir="$work/$name"; mkdir -p "$dir"
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
    set -- $flags
    r=$((r + $1)); i=$((i + $2)); x=$((x + ok_next))
    [ "$(check equal "$dir/ref.h5" "$cut")" = 1 ] && b=$((b + 1))
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
  C train -q --steps "$steps" --snapshots every:1 -o "$dir/run.h5" >/dev/null 2>&1 || { skip "$name" "training failed"; return; }
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

# --- kill -9 of sweep run -------------------------------------------------------------------------------------------
sweep_row() {
  local trials=$1 name="sweep run, kill -9 of the runner"
  local dir="$work/sweep"; mkdir -p "$dir"
  cat > "$dir/s.json" <<'JSON'
{"name": "crash", "options": {"activation": "tanh", "steps": 1000, "snapshots": "every:50", "n-test": 0},
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
  done
  record "$name" "$trials" "$r" "$i" "$x" "$b"
}

# --- a second writer while a run trains ----------------------------------------------------------------------------
# A long run (plain or --live); once it has snapshots, every other writer at once: a new run without and with
# --force (and --live), --resume (and --resume --live), an in-place analyze. Each must be refused (exit 2) and
# the first run must go on; it is then stopped (SIGTERM), checked against a straight run of the same grid, resumed
# for 200 more steps and compared with a straight run to that step.
collision_row() {
  local trials=$1 live=$2 name="second writers vs a ${3} run"
  local dir="$work/collide$live"; mkdir -p "$dir"
  local base=(--hidden 50 --snapshots every:100 -q)
  local opt=(); [ "$live" = 1 ] && opt=(--live)
  C train "${base[@]}" --steps 3000 -o "$dir/grid.h5" >/dev/null 2>&1 || { skip "$name" "reference run failed"; return; }
  local r=0 i=0 x=0 b=0 k
  for k in $(seq "$trials"); do
    local f="$dir/run$k.h5"
    "$bin" train "${base[@]}" "${opt[@]}" --steps 100000000 -o "$f" >/dev/null 2>&1 &
    local pid=$! waited=0
    until C inspect "$f" >/dev/null 2>&1 || [ -n "$(check prefix "$dir/grid.h5" "$f" | grep '^1')" ] || [ $waited -ge 200 ]; do
      sleep 0.05; waited=$((waited + 1))
    done
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
    total=$(( ${last:-0} + 200 ))
    if C train --resume "$f" --steps "$total" "${opt[@]}" -q >/dev/null 2>&1; then
      x=$((x + 1))
      C train "${base[@]}" --steps "$total" -o "$dir/straight$k.h5" >/dev/null 2>&1
      [ "$(check last "$dir/straight$k.h5" "$f")" = 1 ] && b=$((b + 1))
    fi
  done
  record "$name" "$trials" "$r" "$i" "$x" "$b"
}

# Two new runs started at once on one name: exactly one may win, and the loser must leave its file alone.
race_row() {
  local trials=$1 name="two new runs on one name at once"
  local dir="$work/race"; mkdir -p "$dir"
  C train --steps 1500 --snapshots every:100 -q -o "$dir/ref.h5" >/dev/null 2>&1 || { skip "$name" "reference run failed"; return; }
  local r=0 i=0 x=0 b=0 k
  for k in $(seq "$trials"); do
    local f="$dir/run$k.h5"
    "$bin" train --steps 1500 --snapshots every:100 -q -o "$f" >/dev/null 2>&1 & local p1=$!
    "$bin" train --steps 1500 --snapshots every:100 -q -o "$f" >/dev/null 2>&1 & local p2=$!
    wait "$p1"; local s1=$?; wait "$p2"; local s2=$?
    set -- $(check prefix "$dir/ref.h5" "$f")
    r=$((r + $1)); i=$((i + $2))
    [ $(( (s1 == 0) + (s2 == 0) )) = 1 ] && [ $(( (s1 == 2) + (s2 == 2) )) = 1 ] && x=$((x + 1))
    [ "$(check equal "$dir/ref.h5" "$f")" = 1 ] && b=$((b + 1))
  done
  record "$name" "$trials" "$r" "$i" "$x" "$b"
}

# --- a full disk ---------------------------------------------------------------------------------------------------
# A 1.5 MB tmpfs, partly filled at random; training into it until the disk is full, then the space is freed and
# the run resumed; an in-place analyze onto a full disk, then the analysis again once there is space.
disk_rows() {
  local trials=$1
  if [ "$(id -u)" != 0 ]; then skip "train onto a full disk" "needs root to mount a small tmpfs"; skip "analyze onto a full disk" "needs root"; return; fi
  local dir="$work/disk" mnt="$work/disk/small"; mkdir -p "$mnt"
  if ! mount -t tmpfs -o size=1500k tmpfs "$mnt" 2>/dev/null; then
    skip "train onto a full disk" "cannot mount a tmpfs here"; skip "analyze onto a full disk" "cannot mount a tmpfs here"; return
  fi
  mounted="$mnt"
  local args=(--hidden 300 --steps 60 --snapshots every:2 -q)
  C train "${args[@]}" -o "$dir/ref.h5" >/dev/null 2>&1 || { skip "train onto a full disk" "reference run failed"; return; }
  local r=0 i=0 x=0 b=0 k
  for k in $(seq "$trials"); do
    rm -f "$mnt"/*
    head -c $(( (700 + RANDOM % 500) * 1024 )) /dev/zero > "$mnt/filler" 2>/dev/null
    C train "${args[@]}" -o "$mnt/run.h5" >/dev/null 2>"$dir/err"
    local status=$? lines; lines=$(wc -l < "$dir/err")
    set -- $(check prefix "$dir/ref.h5" "$mnt/run.h5")
    local readable=$1 intact=$2
    [ "$status" = 2 ] && [ "$lines" = 1 ] || { [ "$status" = 0 ] || intact=0; }
    if [ ! -e "$mnt/run.h5" ]; then readable=1; intact=1; fi   # refused up front: nothing written
    r=$((r + readable)); i=$((i + intact))
    rm -f "$mnt/filler"
    if [ ! -e "$mnt/run.h5" ]; then
      C train "${args[@]}" -o "$mnt/run.h5" >/dev/null 2>&1 && x=$((x + 1))
    elif [ "$status" = 0 ] || C train --resume "$mnt/run.h5" -q >/dev/null 2>&1; then x=$((x + 1)); fi
    [ "$(check equal "$dir/ref.h5" "$mnt/run.h5")" = 1 ] && b=$((b + 1))
  done
  record "train onto a full disk" "$trials" "$r" "$i" "$x" "$b"

  r=0 i=0 x=0
  C train -q --steps 50 --snapshots every:1 -o "$dir/arun.h5" >/dev/null 2>&1
  C analyze "$dir/arun.h5" --jobs 1 >/dev/null 2>&1
  for k in $(seq "$trials"); do
    rm -f "$mnt"/*
    cp "$dir/arun.h5" "$mnt/run.h5"
    local size; size=$(stat -c %s "$mnt/run.h5")
    local free; free=$(( $(stat -f -c '%a*%S' "$mnt" ) ))
    head -c $(( free - (20 + RANDOM % 400) * 1024 > 0 ? free - (20 + RANDOM % 400) * 1024 : 0 )) /dev/zero > "$mnt/filler" 2>/dev/null
    C analyze "$mnt/run.h5" --cos 0.9 --jobs 1 >/dev/null 2>"$dir/err"
    local status=$? lines; lines=$(wc -l < "$dir/err")
    set -- $(check analysis "$mnt/run.h5")
    local readable=$1 whole=$2
    set -- $(check prefix "$dir/arun.h5" "$mnt/run.h5")
    r=$((r + (readable & $1)))
    { [ "$status" = 0 ] || { [ "$status" = 2 ] && [ "$lines" = 1 ]; }; } && [ "$whole" = 1 ] && [ "$2" = 1 ] && i=$((i + 1))
    rm -f "$mnt/filler"
    C analyze "$mnt/run.h5" --jobs 1 >/dev/null 2>&1 && [ "$(check analysis "$mnt/run.h5")" = "1 1" ] && x=$((x + 1))
  done
  record "analyze onto a full disk" "$trials" "$r" "$i" "$x" na
  umount "$mnt" 2>/dev/null && mounted=""
}

start=$(millis)
want() { [ -z "$only" ] && return 0; local w; for w in ${only//,/ }; do case "$1" in *"$w"*) return 0 ;; esac; done; return 1; }
# The short mode trains less per trial, so that it takes about a minute even with a debug build.
if [ "$kills" = 0 ]; then small=600 wide=6 analyzed=100; else small=2000 wide=12 analyzed=200; fi
want train && train_row "train 5-50-1, kill -9" "$(n 3)" --hidden 50 --steps "$small" --snapshots every:20 --optimizer adam --batch-size 30
want train && train_row "train 5-1000-1000-1, kill -9" "$(n 2)" --hidden 1000,1000 --steps "$wide" --snapshots every:2 --optimizer adam
want analyze && analyze_row "$(n 3)" "$analyzed"
want sweep && sweep_row "$(n 1)"
want collision && collision_row "$(n 1)" 0 "plain"
want collision && collision_row "$(n 1)" 1 "--live"
want race && race_row "$(n 1)"
want disk && disk_rows "$(n 1)"
if "$bin" --help 2>/dev/null | grep -qw reproduce; then
  skip "reproduce, kill -9" "condense reproduce exists but the harness has no checks for it yet"
else
  skip "reproduce, kill -9" "this build has no condense reproduce"
fi

printf '%-34s|%7s|%10s|%10s|%10s|%10s\n' "scenario" "trials" "readable" "intact" "next works" "resume ="
printf '%s\n' "$(printf '%.0s-' $(seq 86))"
for row in "${rows[@]}"; do echo "$row"; done
echo "($(( ($(millis) - start) / 1000 )) s, binary $bin, seed $seed)"
exit $fail
